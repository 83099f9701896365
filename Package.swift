// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    .enableUpcomingFeature("InferIsolatedConformances"),
    .enableUpcomingFeature("ImmutableWeakCaptures"),
]

let package = Package(
    name: "evidence",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "evidence", targets: ["evidence"]),
        .library(name: "EvidenceKit", targets: ["EvidenceKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // libav* and libheif are loaded on first use (CMediaLoader), not linked: their headers only.
        .systemLibrary(name: "CFFmpeg"),
        .systemLibrary(name: "CHeif"),
        .target(name: "CMediaLoader"),
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .systemLibrary(name: "CPosix"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Vault", dependencies: ["CSodium"], swiftSettings: swiftSettings),
        .target(name: "Media", dependencies: ["CFFmpeg", "CExif", "CHeif", "CMediaLoader", "Vault"], swiftSettings: swiftSettings),
        .target(
            name: "Catalogue",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EvidenceKit",
            dependencies: [
                "Vault", "Media", "Catalogue", "CPosix", "CZlib",
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Documents",
            dependencies: [
                "EvidenceKit", "Catalogue", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Templates"), .copy("Words")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EvidenceWeb",
            dependencies: [
                "EvidenceKit", "Catalogue", "Vault", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "evidence",
            dependencies: [
                "EvidenceKit", "Documents", "EvidenceWeb", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "VaultTests", dependencies: ["Vault"], swiftSettings: swiftSettings),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EvidenceCLITests",
            dependencies: [
                "evidence", "EvidenceKit", "Catalogue", "Vault", "Documents", "EvidenceWeb", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

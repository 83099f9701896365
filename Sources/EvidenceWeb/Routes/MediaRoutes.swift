import Catalogue
import EvidenceKit
import Foundation
import Hummingbird
import Vault

/// `GET /assets/:id/media` (the stored bytes, by HTTP range, decrypting only the chunks a range touches) and
/// `GET /assets/:id/poster` (an upright JPEG from the sealed thumbnail cache). Both through the consent gate on every
/// read; the first read of an asset in a page session is audited before its first byte.
enum MediaRoutes {
    /// Bytes read from the vault per write to the socket (16 chunks).
    static let writeSize = 1024 * 1024

    static func add(to router: Router<PageContext>, gate: PageGate) {
        router.get("/assets/:id/media") { request, context in try media(request, context, gate: gate) }
        router.get("/assets/:id/poster") { request, context in try poster(request, context, gate: gate) }
    }

    /// The asset named by the path, cleared by the gate (audited the first time in this page session).
    static func pass(_ context: PageContext, gate: PageGate) throws -> ViewPass {
        let session = try context.session()
        let id = try context.parameters.require("id")
        let asset = try session.library.resolveAsset(id)
        let first = gate.firstView(cookie: context.cookie, asset: asset.id)
        do {
            return try Viewer(session).pass(for: asset, audited: first)
        } catch {
            if first { gate.forgetView(cookie: context.cookie, asset: asset.id) }
            throw error
        }
    }

    static func media(_ request: Request, _ context: PageContext, gate: PageGate) throws -> Response {
        do {
            let pass = try pass(context, gate: gate)
            let reader = try Viewer(try context.session()).media(pass)
            let size = reader.length
            var headers: HTTPFields = [.contentType: pass.asset.contentType, .acceptRanges: "bytes"]
            let range: ClosedRange<Int64>
            let status: HTTPResponse.Status
            switch ByteRange.answer(request.headers[.range], size: size) {
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            case .whole:
                guard size > 0 else { return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer())) }
                (range, status) = (0...(size - 1), .ok)
            case .partial(let part):
                headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(size)"
                (range, status) = (part, .partialContent)
            }
            // The first piece is read (and so authenticated) before the answer starts, so a tampered chunk there is
            // an error page naming the asset rather than a cut-off video.
            let first = try read(reader, from: range.lowerBound, upTo: range.upperBound + 1)
            let count = Int(range.upperBound - range.lowerBound + 1)
            return Response(
                status: status, headers: headers,
                body: ResponseBody(contentLength: count) { writer in
                    // Two stages: the next piece is decrypted while the one before it is written to the socket.
                    var offset = range.lowerBound + Int64(first.readableBytes)
                    var piece = first
                    while true {
                        let from = offset
                        let next: Task<ByteBuffer, any Error>? =
                            from <= range.upperBound
                            ? Task { try read(reader, from: from, upTo: range.upperBound + 1) } : nil
                        try await writer.write(piece)
                        guard let next else { break }
                        piece = try await next.value
                        guard piece.readableBytes > 0 else { break }
                        offset += Int64(piece.readableBytes)
                    }
                    try await writer.finish(nil)
                })
        } catch let error as EvidenceError {
            return PageResponses.refusal(error)
        } catch let error as VaultError {
            return PageResponses.refusal(EvidenceError.from(error))
        }
    }

    /// Up to ``writeSize`` decrypted bytes from `offset`, stopping before `end`.
    static func read(_ reader: BlobReader, from offset: Int64, upTo end: Int64) throws -> ByteBuffer {
        let want = Int(min(Int64(writeSize), end - offset))
        var buffer = ByteBufferAllocator().buffer(capacity: want)
        _ = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw in
            try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), at: offset)
        }
        return buffer
    }

    static func poster(_ request: Request, _ context: PageContext, gate: PageGate) throws -> Response {
        do {
            let pass = try pass(context, gate: gate)
            let at = request.uri.queryParameters.get("at", as: Int64.self) ?? 0
            let width = request.uri.queryParameters.get("width", as: Int.self) ?? 320
            guard let jpeg = try Viewer(try context.session()).poster(pass, atMs: at, width: width) else {
                return PageResponses.text(.notFound, "No picture can be made of this photo here (HEIC and AVIF cannot be decoded).")
            }
            return Response(
                status: .ok, headers: [.contentType: "image/jpeg"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: jpeg)))
        } catch let error as EvidenceError {
            return PageResponses.refusal(error)
        }
    }
}

import Foundation

/// The one-page letter a school prints and hands to a family with their bundle's passphrase.
public enum ShareLetter {
    /// The letter as HTML (it holds the passphrase: print it, give it by hand, then delete the file).
    public static func html(forename: String, passphrase: String) throws(DocumentError) -> String {
        try ReportTemplates.render(
            "letter",
            [
                "title": "Photos and videos of \(forename): your passphrase", "forename": forename,
                "words": passphrase.split(separator: " ").map(String.init),
            ])
    }
}

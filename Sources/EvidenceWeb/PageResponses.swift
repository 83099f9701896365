import EvidenceKit
import Foundation
import Hummingbird
import HTTPTypes

/// The page's answers: HTML, JSON and short texts, errors as data a script can put beside the field they concern.
enum PageResponses {
    /// Headers every answer carries: nothing cached, nothing loaded from elsewhere, not framed, no referrer.
    static func harden(_ headers: inout HTTPFields) {
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' blob:; media-src 'self'; script-src 'self'; style-src 'self'; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
    }

    /// An HTML page.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A plain-text answer.
    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    /// A JSON answer (camelCase keys, ISO 8601 dates, as the CLI's `--json`).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 401: no session. A short page saying how to get one, and nothing of the library.
    static func unauthorized(locked: String?) -> Response {
        let why =
            locked.map { "The library was locked (\($0)), so this page closed." }
            ?? "This page needs the link `evidence serve` printed, opened once."
        return html(
            PageTemplates.page(
                "message", title: "Locked",
                ["heading": "The tagging page is locked", "text": why, "next": "Start `evidence serve` again and open the new link."]),
            status: .unauthorized)
    }

    /// An error from a workflow: as JSON for the page's script (`{"error": {"message", "field"}}`), with the status
    /// its category calls for.
    static func error(_ error: EvidenceError) -> Response {
        json(ErrorBody(error: .init(message: error.message, field: error.field?.name)), status: status(of: error))
    }

    /// The HTTP status for an error's category.
    static func status(of error: EvidenceError) -> HTTPResponse.Status {
        switch error.category {
        case .usage, .inputFailed: .unprocessableContent
        case .refusedByConsent: .forbidden
        case .locked: .unauthorized
        case .integrity, .failure: .internalServerError
        }
    }

    /// The HTML page for an asset consent keeps back (403), or for another error reading one.
    static func refusal(_ error: EvidenceError) -> Response {
        let consent = error.category == .refusedByConsent
        return html(
            PageTemplates.page(
                "message", title: consent ? "Not shown" : "Cannot show this",
                [
                    "heading": consent ? "Consent keeps this back" : "This could not be shown",
                    "text": error.message,
                    "next": consent
                        ? "Nothing of it is shown or sent. Record the family's consent, or erase the asset." : "Run `evidence verify`.",
                ]),
            status: status(of: error))
    }

    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var message: String
            var field: String?
        }
        var error: Detail
    }
}

import Foundation
import Mustache

/// The report templates and stylesheet, kept as resources next to this code (`Templates/`), loaded once.
enum ReportTemplates {
    /// Every `.mustache` file by its name (partials included), or the error that stopped them loading.
    static let library: Result<MustacheLibrary, DocumentError> = {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            return .failure(DocumentError("The report templates are missing from the installation (Templates/)."))
        }
        var templates: [String: MustacheTemplate] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".mustache") {
            do {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                return .failure(DocumentError("The report template \(name) could not be read: \(error)"))
            }
        }
        return .success(MustacheLibrary(templates: templates))
    }()

    /// The one stylesheet, inlined in every report.
    static let stylesheet: String = {
        guard let url = Bundle.module.url(forResource: "Templates/report", withExtension: "css")
            ?? Bundle.module.url(forResource: "Templates", withExtension: nil)?.appendingPathComponent("report.css")
        else { return "" }
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// Renders `template` with `context` (HTML-escaped unless the template says `{{{ }}}`).
    static func render(_ template: String, _ context: [String: Any]) throws(DocumentError) -> String {
        let library = try library.get()
        // An empty text is absent, so its section does not show.
        var context = context.filter { !(($0.value as? String)?.isEmpty ?? false) }
        context["css"] = stylesheet
        guard let html = library.render(context, withTemplate: template) else {
            throw DocumentError("There is no report template named \(template).")
        }
        return html
    }
}

/// A report could not be written.
public struct DocumentError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in words.
    public let description: String
    init(_ description: String) { self.description = description }
}

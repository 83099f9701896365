import Foundation
import Mustache

/// The page's templates (`Templates/*.mustache`) and static files (`Static/`), kept as resources next to this code
/// and loaded once. Templates escape by default; the one raw value is the inner page placed in the layout.
enum PageTemplates {
    /// Every template by name, or the text of what stopped them loading.
    static let library: Result<MustacheLibrary, PageResourceError> = {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            return .failure(PageResourceError("The page templates are missing from the installation (Templates/)."))
        }
        var templates: [String: MustacheTemplate] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".mustache") {
            do {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                return .failure(PageResourceError("The page template \(name) could not be read: \(error)"))
            }
        }
        return .success(MustacheLibrary(templates: templates))
    }()

    /// `template` rendered with `context`, inside the layout titled `title`.
    static func page(_ template: String, title: String, _ context: [String: Any]) -> String {
        guard case .success(let library) = library else {
            if case .failure(let error) = library { return error.description }
            return ""
        }
        let inner = library.render(context, withTemplate: template) ?? ""
        var outer = context
        outer["title"] = title
        outer["content"] = inner
        return library.render(outer, withTemplate: "layout") ?? inner
    }

    /// A static file's bytes and type, by name (`page.js`, `page.css`); nil for any other name.
    static func staticFile(_ name: String) -> (bytes: Data, type: String)? {
        let types = ["page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"]
        guard let type = types[name], let folder = Bundle.module.url(forResource: "Static", withExtension: nil),
            let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
        else { return nil }
        return (bytes, type)
    }
}

/// The page's own files could not be loaded.
struct PageResourceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

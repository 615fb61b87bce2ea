import Engine
import Foundation

extension RuleSource {
    /// The snapshot of a rules version's files that a store records with it: a JSON array of
    /// `{"path", "text"}` objects.
    static func snapshotJSON(_ files: [RuleSource]) throws -> String {
        let snapshot = files.map { ["path": $0.relativePath, "text": $0.text] }
        return String(decoding: try JSONSerialization.data(withJSONObject: snapshot, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The files of a recorded snapshot of `version`; `nil` when it is not one.
    static func files(ofSnapshot text: String, version: String) throws -> [RuleSource]? {
        guard case .array(let files) = try JSONParser.parse(text) else { return nil }
        return files.compactMap { file in
            guard case .string(let path)? = file["path"], case .string(let content)? = file["text"] else { return nil }
            return RuleSource(relativePath: path, displayPath: "\(version)/\(path)", text: content)
        }
    }
}

import Foundation
import Testing
import Yams

/// `cashback schema`: the rule files' JSON Schema validates every shipped file, rejects a
/// typo naming the key, and the copy in docs/ that editors use is the one the code generates.
/// Validation uses Python's `jsonschema` (draft 2020-12), an implementation independent of ours.
@Suite struct SchemaTests {
    static let root = CashbackBinary.repositoryRoot

    static var shippedRuleFiles: [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent("rules").path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { files.append("rules/" + path) }
        }
        return files.sorted()
    }

    /// A YAML document as JSON text, every scalar a string (the engine reads values by their
    /// declared type; the schema accepts that text as well as YAML 1.2 typed values).
    static func json(fromYAML text: String) throws -> String {
        func convert(_ node: Node) -> Any {
            switch node {
            case .scalar(let scalar): return scalar.string
            case .sequence(let sequence): return sequence.map(convert)
            case .mapping(let mapping):
                var object: [String: Any] = [:]
                for (key, value) in mapping { object[key.string ?? ""] = convert(value) }
                return object
            case .alias: return NSNull()
            }
        }
        let node = try #require(try Yams.compose(yaml: text, .basic))
        return String(decoding: try JSONSerialization.data(withJSONObject: convert(node)), as: UTF8.self)
    }

    /// Validates documents with Python's jsonschema; returns one line per document: `ok` or the errors.
    static func validate(_ documents: [String]) throws -> [String] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let schema = try CashbackBinary.run(["schema"])
        try directory.write("schema.json", schema.stdout)
        for (index, document) in documents.enumerated() { try directory.write("doc\(index).json", document) }
        try directory.write(
            "validate.py",
            """
            import json, sys, jsonschema
            schema = json.load(open("schema.json"))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for index in range(int(sys.argv[1])):
                errors = [e.message for e in validator.iter_errors(json.load(open(f"doc{index}.json")))]
                print("ok" if not errors else " | ".join(errors))
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "validate.py", "\(documents.count)"]
        process.currentDirectoryURL = directory.url
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with jsonschema is needed (scripts/install-system-packages installs it)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func docsCopyIsWhatTheCommandPrints() throws {
        let printed = try CashbackBinary.run(["schema"])
        #expect(printed.status == 0)
        let committed = try String(
            contentsOf: SchemaTests.root.appendingPathComponent("docs/rule-file.schema.json"), encoding: .utf8)
        #expect(printed.stdout == committed, "regenerate with: cashback schema > docs/rule-file.schema.json")
    }

    @Test func everyShippedFileNamesTheSchemaAndValidates() throws {
        let files = SchemaTests.shippedRuleFiles
        #expect(files.count >= 6)
        var documents: [String] = []
        for file in files {
            let text = try String(contentsOf: SchemaTests.root.appendingPathComponent(file), encoding: .utf8)
            let firstLine = String(text.prefix { $0 != "\n" })
            #expect(firstLine.hasPrefix("# yaml-language-server: $schema="), "\(file)")
            let relative = String(firstLine.dropFirst("# yaml-language-server: $schema=".count))
            let target = SchemaTests.root.appendingPathComponent(file).deletingLastPathComponent().appendingPathComponent(
                relative)
            #expect(FileManager.default.fileExists(atPath: target.standardizedFileURL.path), "\(file) points at \(relative)")
            documents.append(try SchemaTests.json(fromYAML: text))
        }
        let results = try SchemaTests.validate(documents)
        #expect(results == Array(repeating: "ok", count: files.count), "\(zip(files, results).filter { $0.1 != "ok" })")
    }

    @Test func aMisspeltKeyFailsNamingTheKey() throws {
        let text = try String(
            contentsOf: SchemaTests.root.appendingPathComponent("rules/partners/decathlon.yaml"), encoding: .utf8)
        let typos = [
            text.replacingOccurrences(of: "\nstacking:", with: "\nstackng:"),
            text.replacingOccurrences(of: "percentage: 5%", with: "percentge: 5%"),
            text.replacingOccurrences(of: "per: account", with: "per: acount"),
        ]
        #expect(typos.allSatisfy { $0 != text }, "each typo changes the file")
        let results = try SchemaTests.validate(try typos.map(SchemaTests.json(fromYAML:)))
        #expect(results.count == 3)
        #expect(results[0].contains("'stackng' was unexpected"), "\(results[0])")
        #expect(results[1].contains("'percentge'") || results[1].contains("is not valid"), "\(results[1])")
        #expect(results[2].contains("'acount' is not one of"), "\(results[2])")
    }
}

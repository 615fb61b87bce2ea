import Crypto
import Yams

/// Loads a rules directory (`program.yaml` and `partners/**/*.yaml|yml`) into a `RuleSet`,
/// collecting every problem as a `Diagnostic` rather than stopping at the first.
public struct RuleLoader: Sendable {
    public let registry: PluginRegistry

    public init(registry: PluginRegistry) { self.registry = registry }

    /// The result of loading: the rules when there were no errors, and every diagnostic.
    public struct Outcome: Sendable {
        public let rules: RuleSet?
        /// Errors and warnings; the rules are `nil` when there is an error.
        public let diagnostics: [Diagnostic]
        /// The files read, in load order.
        public let sources: [RuleSource]

        /// The files' paths relative to the directory, in load order.
        public var files: [String] { sources.map(\.relativePath) }
    }

    /// Loads `directory`. I/O problems are diagnostics too, each naming the path and why: a
    /// missing or unreadable directory, a folder or file without permission, a dangling
    /// symbolic link or a loop, a FIFO named `*.yaml`, a file that is not UTF-8. Any of them
    /// makes the rules invalid: nothing under `partners/` is ever skipped silently.
    public func load(directory: String) -> Outcome {
        load(directory: directory, fileSystem: POSIXRuleFileSystem())
    }

    /// Loads `directory` as `fileSystem` shows it (tests substitute failures).
    package func load(directory: String, fileSystem: any RuleFileSystem) -> Outcome {
        var reader = RuleDirectoryReader(directory: directory, fileSystem: fileSystem)
        guard reader.read() else { return Outcome(rules: nil, diagnostics: reader.diagnostics, sources: []) }
        let outcome = load(sources: reader.sources)
        let stray = StrayRuleFiles(directory: directory, fileSystem: fileSystem).diagnostics()
        let blocking = !reader.diagnostics.isEmpty || stray.contains { $0.severity == .error }
        return Outcome(
            rules: blocking ? nil : outcome.rules, diagnostics: reader.diagnostics + outcome.diagnostics + stray,
            sources: outcome.sources)
    }

    /// Loads rule files already read into memory (a stored snapshot, or tests).
    public func load(sources: [RuleSource]) -> Outcome {
        var diagnostics: [Diagnostic] = []
        let sorted = sources.sorted { Array($0.relativePath.utf8).lexicographicallyPrecedes(Array($1.relativePath.utf8)) }
        var documents: [(source: RuleSource, root: ConfigNode)] = []
        for source in sorted {
            switch RuleLoader.compose(source) {
            case .success(let root): documents.append((source, root))
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        let programDocument = documents.first { $0.source.relativePath == "program.yaml" }
        let partnerDocuments = documents.filter { $0.source.relativePath != "program.yaml" }
        let partnerIDs = Set(partnerDocuments.compactMap { RuleLoader.declaredPartnerID($0.root) })

        var program = Program.defaults
        if let programDocument {
            let reader = FileReader(source: programDocument.source, registry: registry, partnerIDs: partnerIDs)
            program = reader.program(programDocument.root)
            diagnostics += reader.diagnosticsInFileOrder
        }
        var partners: [Partner] = []
        for document in partnerDocuments {
            let reader = FileReader(source: document.source, registry: registry, partnerIDs: partnerIDs)
            if let partner = reader.partner(document.root, program: program) { partners.append(partner) }
            diagnostics += reader.diagnosticsInFileOrder
        }
        diagnostics += RuleLoader.crossFileProblems(partners)
        let version = RuleLoader.contentHash(sorted)
        let rules = diagnostics.isEmpty ? RuleSet(program: program, partners: partners, version: version) : nil
        return Outcome(rules: rules, diagnostics: diagnostics, sources: sorted)
    }

    static func join(_ directory: String, _ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// The largest rule file read, in bytes.
    public static let maximumFileBytes = 1 << 20
    /// The most YAML values a rule file may hold once aliases are expanded, and the deepest
    /// nesting: a hostile file (an alias bomb) is refused before it is walked.
    static let maximumValues = 100_000
    static let maximumDepth = 32

    /// Parses YAML without resolving scalar types: values are read later by their declared type.
    static func compose(_ source: RuleSource) -> Result<ConfigNode, Diagnostic> {
        func diagnostic(_ mark: Mark?, _ message: String) -> Diagnostic {
            Diagnostic(file: source.displayPath, line: mark?.line ?? 1, column: mark?.column ?? 1, context: nil, message: message)
        }
        func at(_ position: (line: Int, column: Int), _ message: String) -> Diagnostic {
            Diagnostic(file: source.displayPath, line: position.line, column: position.column, context: nil, message: message)
        }
        guard source.text.utf8.count <= maximumFileBytes else {
            return .failure(diagnostic(nil, "the file is larger than \(maximumFileBytes >> 20) MiB; rule files are small"))
        }
        do {
            // UTF-8, named: Yams's default encoding reads the whole environment on every call,
            // which cost more than parsing a small partner file.
            guard let node = try Yams.compose(yaml: source.text, .basic, .default, .utf8) else {
                return .failure(diagnostic(nil, "the file is empty"))
            }
            var budget = maximumValues
            guard fitsLimits(node, depth: 0, budget: &budget) else {
                return .failure(
                    diagnostic(
                        node.mark,
                        "the file holds more than \(maximumValues) values or nests deeper than \(maximumDepth) (aliases count as copies)"
                    ))
            }
            return .success(ConfigNode(node))
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                if character(in: source.text, line: mark.line, column: mark.column) == "\t" {
                    return .failure(diagnostic(mark, "a tab here: YAML indents and separates with spaces only"))
                }
                return .failure(diagnostic(mark, "YAML syntax: \(problem)"))
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map { Echo.clipped($0) }.joined(separator: "', '")
                return .failure(diagnostic(context.mark, "duplicate key '\(keys)'"))
            case .reader(let problem, let offset, let value, _):
                // Yams's own description would quote the offending line of the file, raw bytes
                // and all: say where, in our words, with the character escaped.
                let position = offset.map { Self.position(ofByte: $0, in: source.text) } ?? (1, 1)
                let character =
                    value >= 0 ? Echo.clipped(String(UnicodeScalar(UInt32(value)).map(Character.init) ?? "?")) : "a byte"
                let reason = problem.hasPrefix("control characters") ? "control character" : "character"
                return .failure(at(position, "\(reason) \(character) cannot appear in a YAML file (\(problem))"))
            default:
                return .failure(diagnostic(nil, "YAML: \(Echo.clipped("\(error)"))"))
            }
        } catch {
            return .failure(diagnostic(nil, "YAML: \(Echo.clipped("\(error)"))"))
        }
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset into `text`.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let bytes = Array(text.utf8.prefix(offset))
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart...], as: UTF8.self).unicodeScalars.count + 1
        return (line, column)
    }

    /// The character at a 1-based line and column (in Unicode scalars), if there is one.
    static func character(in text: String, line: Int, column: Int) -> Unicode.Scalar? {
        let lines = text.split(separator: "\n", maxSplits: line, omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let scalars = Array(lines[line - 1].unicodeScalars)
        return column >= 1 && column <= scalars.count ? scalars[column - 1] : nil
    }

    /// Whether a node tree stays within the value budget and depth limit.
    static func fitsLimits(_ node: Node, depth: Int, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0, depth <= maximumDepth else { return false }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let sequence):
            for item in sequence where !fitsLimits(item, depth: depth + 1, budget: &budget) { return false }
            return true
        case .mapping(let mapping):
            for (key, value) in mapping
            where !fitsLimits(key, depth: depth + 1, budget: &budget) || !fitsLimits(value, depth: depth + 1, budget: &budget) {
                return false
            }
            return true
        }
    }

    /// The `partner:` id of a partner file, if it is readable, to check references early.
    static func declaredPartnerID(_ root: ConfigNode) -> String? {
        guard case .mapping(let mapping) = root.node, let value = mapping["partner"], case .scalar(let scalar) = value
        else { return nil }
        return scalar.string
    }

    /// Partner ids used twice and exact identifiers claimed by two partners.
    static func crossFileProblems(_ partners: [Partner]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var seenIDs: [String: Partner] = [:]
        var claimed: [String: Partner] = [:]
        for partner in partners {
            if let earlier = seenIDs[partner.id] {
                diagnostics.append(
                    Diagnostic(
                        file: partner.file, line: 1, column: 1, context: partner.id,
                        message: "partner id '\(Echo.clipped(partner.id))' is already used by \(earlier.file)"))
            } else {
                seenIDs[partner.id] = partner
            }
            for (kind, values) in [("mid", partner.match.mids), ("siret", partner.match.sirets)] {
                for value in Set(values).sorted() {
                    let key = kind + ":" + value
                    if let owner = claimed[key], owner.id != partner.id {
                        diagnostics.append(
                            Diagnostic(
                                file: partner.file, line: partner.match.line, column: partner.match.column,
                                context: partner.id,
                                message: "\(kind) '\(Echo.clipped(value))' is claimed by both \(owner.file) (\(owner.id)) and "
                                    + "\(partner.file) (\(partner.id))"
                            ))
                    } else {
                        claimed[key] = partner
                    }
                }
            }
        }
        return diagnostics
    }

    /// The SHA-256 of the files' relative paths and bytes (each followed by a NUL, in load order),
    /// as 64 hex digits: two rule sets share a version only if they are the same files.
    static func contentHash(_ sources: [RuleSource]) -> String {
        var hasher = SHA256()
        for source in sources {
            hasher.update(data: Array(source.relativePath.utf8) + [0])
            hasher.update(data: Array(source.text.utf8) + [0])
        }
        return hasher.finalize().map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}

/// One rule file's text and where it came from.
public struct RuleSource: Sendable, Equatable {
    /// The path relative to the rules directory, e.g. `partners/decathlon.yaml`.
    public let relativePath: String
    /// The path as diagnostics print it.
    public let displayPath: String
    public let text: String

    public init(relativePath: String, displayPath: String, text: String) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.text = text
    }
}

/// YAML files in a rules directory that are not loaded: only `program.yaml` and
/// `partners/**/*.yaml|yml` are rule files, so a partner file anywhere else (`shop.yaml`,
/// `partner/shop.yaml`, `partners/x.YAML`) would never go live. Each gets a warning; one that
/// declares a `partner:` is an error, since it is meant to be a partner.
struct StrayRuleFiles {
    let directory: String
    let fileSystem: any RuleFileSystem

    /// At most this many entries are looked at, this deep: the walk is bounded whatever is there.
    static let maximumEntries = 10_000
    static let maximumDepth = 8

    func diagnostics() -> [Diagnostic] {
        var found: [Diagnostic] = []
        var visited = 0
        var folders: [(relative: String, depth: Int, seen: [RuleFileKind])] = [("", 0, [])]
        while let folder = folders.popLast() {
            let path = folder.relative.isEmpty ? directory : RuleLoader.join(directory, folder.relative)
            guard let names = try? fileSystem.names(inFolder: path) else { continue }
            for raw in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                visited += 1
                guard visited <= Self.maximumEntries, let name = String(validating: raw, as: UTF8.self) else { continue }
                let relative = folder.relative.isEmpty ? name : folder.relative + "/" + name
                guard let kind = try? fileSystem.kind(of: RuleLoader.join(directory, relative)) else { continue }
                switch kind {
                case .folder:
                    if folder.depth < Self.maximumDepth && !folder.seen.contains(kind) {
                        folders.append((relative, folder.depth + 1, folder.seen + [kind]))
                    }
                case .file:
                    if Self.isYAML(name) && !Self.isRuleFile(relative) { found.append(diagnostic(for: relative)) }
                case .other:
                    continue
                }
            }
        }
        return found.sorted { Array($0.file.utf8).lexicographicallyPrecedes(Array($1.file.utf8)) }
    }

    /// What the loader reads (and reports when it cannot): `program.yaml`, and `*.yaml` or
    /// `*.yml` anywhere under `partners/`.
    static func isRuleFile(_ relative: String) -> Bool {
        relative == "program.yaml"
            || (relative.hasPrefix("partners/") && (relative.hasSuffix(".yaml") || relative.hasSuffix(".yml")))
    }

    static func isYAML(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    private func diagnostic(for relative: String) -> Diagnostic {
        let file = RuleLoader.join(directory, relative)
        let place = "only program.yaml and partners/**/*.yaml or *.yml (lower case) are rule files"
        if declaresPartner(file) {
            return Diagnostic(
                file: file, line: 1, column: 1, context: nil,
                message: "this partner file is not loaded: \(place); move it under partners/", severity: .error)
        }
        return Diagnostic(file: file, line: 1, column: 1, context: nil, message: "not loaded: \(place)", severity: .warning)
    }

    /// Whether the file has a top-level `partner:` key (read bounded, never parsed as YAML).
    private func declaresPartner(_ file: String) -> Bool {
        guard let bytes = try? fileSystem.contents(ofFile: file, limit: RuleLoader.maximumFileBytes) else { return false }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains { $0.hasPrefix("partner:") }
    }
}

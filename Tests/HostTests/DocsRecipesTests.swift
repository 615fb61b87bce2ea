import Foundation
import Testing

/// `docs/rules.md` cannot rot: its complete files lint, heading by heading, with the built
/// binary, and so do its `when:`, `reward:` and limit snippets.
@Suite struct DocsRecipesTests {
    /// A ```yaml block of the page: the heading above it and its first line's number.
    struct Block {
        let heading: String
        let line: Int
        let text: String

        var firstLine: Substring { text.split(separator: "\n").first ?? "" }

        /// `partners/NAME.yaml` or `program.yaml` from a first line `# file: …`, if any.
        var filePath: String? {
            guard firstLine.hasPrefix("# file: ") else { return nil }
            let path = firstLine.dropFirst("# file: ".count).trimmingCharacters(in: .whitespaces)
            let isPartner = path.hasPrefix("partners/") && (path.hasSuffix(".yaml") || path.hasSuffix(".yml"))
            guard path == "program.yaml" || isPartner, !path.contains(".."), !path.contains(" ") else { return nil }
            return path
        }
    }

    static let page = CashbackBinary.repositoryRoot.appendingPathComponent("docs/rules.md")

    /// Every ```yaml block of the page, in order.
    static func blocks() throws -> [Block] {
        let text = try String(contentsOf: page, encoding: .utf8)
        var blocks: [Block] = []
        var heading = ""
        var current: (line: Int, lines: [String])?
        var inOtherFence = false
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            if let open = current {
                if line.trimmingCharacters(in: .whitespaces) == "```" {
                    blocks.append(Block(heading: heading, line: open.line, text: open.lines.joined(separator: "\n")))
                    current = nil
                } else {
                    current?.lines.append(line)
                }
            } else if inOtherFence {
                if line.hasPrefix("```") { inOtherFence = false }
            } else if line == "```yaml" {
                current = (offset + 2, [])
            } else if line.hasPrefix("```") {
                inOtherFence = true
            } else if line.hasPrefix("#") {
                heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            }
        }
        return blocks
    }

    /// The complete files, grouped by the heading they sit under, in page order.
    static func fileGroups() throws -> [(heading: String, files: [Block])] {
        var groups: [(heading: String, files: [Block])] = []
        for block in try blocks() where block.filePath != nil {
            if groups.last?.heading == block.heading {
                groups[groups.count - 1].files.append(block)
            } else {
                groups.append((block.heading, [block]))
            }
        }
        return groups
    }

    @Test func thePageHasTheFiveRecipesAsCompleteFiles() throws {
        let groups = try Self.fileGroups()
        let recipes = groups.map(\.heading).filter { $0.hasPrefix("Recipe:") }
        #expect(
            recipes == [
                "Recipe: a weekend bonus", "Recipe: a monthly cap", "Recipe: a budgeted launch offer",
                "Recipe: an abroad bonus for the international market", "Recipe: a small web shop",
            ])
        #expect(Set(groups.map(\.heading)).count == groups.count, "each heading's files are together")
        for group in groups {
            let paths = group.files.compactMap(\.filePath)
            #expect(Set(paths).count == paths.count, "a file is written twice under '\(group.heading)'")
        }
    }

    @Test func everyHeadingsFilesLintOnTheirOwn() throws {
        let groups = try Self.fileGroups()
        #expect(groups.count >= 7)
        for group in groups {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            for file in group.files { try directory.write("rules/" + file.filePath!, file.text + "\n") }
            let result = try CashbackBinary.run(["lint", "rules"], in: directory.url)
            let lines = group.files.map { "docs/rules.md:\($0.line)" }.joined(separator: ", ")
            #expect(result.status == 0, "'\(group.heading)' (\(lines)):\n\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("rules: ok:"))
        }
    }

    /// `when:` and `reward:` snippets become rules `doc1`, `doc2`… of one `program.yaml`, a limit
    /// list the limits of one; partner ids they name come from the page's partner files.
    @Test func everySnippetLintsAsAProgramRule() throws {
        let blocks = try Self.blocks()
        var rules: [String] = []
        var origins: [String] = []
        for block in blocks where block.filePath == nil {
            let lines = block.text.split(separator: "\n").map(String.init)
            let body: [String]
            if block.firstLine.hasPrefix("when:") || block.firstLine.hasPrefix("reward:") {
                let hasReward = lines.contains { $0.hasPrefix("reward:") }
                body = lines.map { "    " + $0 } + (hasReward ? [] : ["    reward: { percentage: 1% }"])
            } else if block.firstLine.hasPrefix("- { per:") {
                body = ["    reward: { percentage: 1% }", "    limits:"] + lines.map { "      " + $0 }
            } else {
                Issue.record("docs/rules.md:\(block.line): a yaml block that is neither a file nor a snippet")
                continue
            }
            rules.append((["  - id: doc\(rules.count + 1)"] + body).joined(separator: "\n"))
            origins.append("doc\(rules.count) is docs/rules.md:\(block.line)")
        }
        // Every kind `cashback plugins` lists has an example here.
        let listing = try CashbackBinary.run(["plugins"])
        let kinds = listing.lines.compactMap { line -> String? in
            guard line.hasPrefix("  "), let word = line.split(separator: " ").first, !line.contains("e.g.") else { return nil }
            return String(word)
        }
        #expect(kinds.count >= 14, "\(listing.stdout)")
        let snippets = rules.joined(separator: "\n")
        for kind in kinds {
            let shown = ["- \(kind): ", "reward: { \(kind): ", "  \(kind):"].contains { snippets.contains($0) }
            #expect(shown, "docs/rules.md has no example of \(kind)")
        }

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("rules/program.yaml", "rules:\n" + rules.joined(separator: "\n") + "\n")
        let partnerIDs = Set(
            blocks.filter { $0.filePath?.hasPrefix("partners/") == true }.flatMap { block in
                block.text.split(separator: "\n").filter { $0.hasPrefix("partner: ") }
                    .map { $0.dropFirst("partner: ".count).split(separator: "#")[0].trimmingCharacters(in: .whitespaces) }
            })
        for id in partnerIDs {
            try directory.write(
                "rules/partners/\(id).yaml",
                """
                partner: \(id)
                match: { name: ["STUB \(id.uppercased())*"] }
                rules:
                  - id: base
                    reward: { percentage: 1% }

                """)
        }
        let result = try CashbackBinary.run(["lint", "rules"], in: directory.url)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)\n\(origins.joined(separator: "\n"))")
    }
}

// Test support shared by the plugin test targets: fixtures that load rules the way `cashback lint`
// does, a dry-run wrapper, event builders, and the doc-comment example reader.

import BuiltinPlugins
import Engine
import Foundation
import Testing

/// A tiny rules directory held in memory and loaded through `RuleLoader`, the way `cashback lint`
/// loads `rules/`: the same diagnostics, lines and columns a user sees.
public struct RulesFixture {
    /// File texts by path relative to the rules directory, e.g. `partners/shop.yaml`.
    public var files: [String: String]

    public init(partner: String? = nil, program: String? = nil, otherFiles: [String: String] = [:]) {
        var files = otherFiles
        if let partner { files["partners/shop.yaml"] = partner }
        if let program { files["program.yaml"] = program }
        self.files = files
    }

    /// A partner file `shop` (matching merchant names `SHOP*`) with one rule `r` whose single
    /// `when:` item is `condition`, written on line 6 from column 9:
    ///
    /// ```yaml
    /// partner: shop
    /// match: { name: ["SHOP*"] }
    /// rules:
    ///   - id: r
    ///     when:
    ///       - <condition>
    ///     reward: { percentage: 10% }
    /// <trailer>
    /// ```
    public static func partner(when condition: String, reward: String = "percentage: 10%", trailer: String = "") -> String {
        """
        partner: shop
        match: { name: ["SHOP*"] }
        rules:
          - id: r
            when:
              - \(condition)
            reward: { \(reward) }
        \(trailer)
        """
    }

    /// A partner file `shop` with one rule `r` and no condition, whose reward is written on line 6
    /// from column 7:
    ///
    /// ```yaml
    /// partner: shop
    /// match: { name: ["SHOP*"] }
    /// rules:
    ///   - id: r
    ///     reward:
    ///       <reward>
    /// <trailer>
    /// ```
    public static func partner(reward: String, trailer: String = "") -> String {
        """
        partner: shop
        match: { name: ["SHOP*"] }
        rules:
          - id: r
            reward:
              \(reward)
        \(trailer)
        """
    }

    /// A `program.yaml` with one rule `r` whose single `when:` item is `condition`, written on
    /// line 4 from column 9:
    ///
    /// ```yaml
    /// rules:
    ///   - id: r
    ///     when:
    ///       - <condition>
    ///     reward: { flat: 1.00 }
    /// ```
    public static func program(when condition: String, reward: String = "flat: 1.00") -> String {
        """
        rules:
          - id: r
            when:
              - \(condition)
            reward: { \(reward) }
        """
    }

    /// Everything the loader says about the directory.
    public var outcome: RuleLoader.Outcome {
        let sources = files.map { path, text in RuleSource(relativePath: path, displayPath: "rules/\(path)", text: text) }
        return RuleLoader(registry: .builtin).load(sources: sources)
    }

    /// The loaded rules; the test fails (printing the diagnostics) when there are errors.
    public func rules(sourceLocation: SourceLocation = #_sourceLocation) throws -> RuleSet {
        let outcome = self.outcome
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.description))", sourceLocation: sourceLocation)
        return try #require(outcome.rules, sourceLocation: sourceLocation)
    }

    /// The only diagnostic; the test fails when there is none or more than one.
    public func diagnostic(sourceLocation: SourceLocation = #_sourceLocation) throws -> Diagnostic {
        let diagnostics = outcome.diagnostics
        #expect(diagnostics.count == 1, "\(diagnostics.map(\.description))", sourceLocation: sourceLocation)
        return try #require(diagnostics.first, sourceLocation: sourceLocation)
    }
}

/// Checks a diagnostic as `cashback lint` prints it: its file, its `line:column`, the rule it
/// belongs to, and a message that starts with the plugin kind and ends with `says` (the key at
/// fault, when there is one, and what was expected).
public func expectDiagnostic(
    _ diagnostic: Diagnostic, file: String = "rules/partners/shop.yaml", at position: String, rule: String = "shop/r",
    plugin: String, says: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(diagnostic.file == file, sourceLocation: sourceLocation)
    #expect("\(diagnostic.line):\(diagnostic.column)" == position, "\(diagnostic)", sourceLocation: sourceLocation)
    #expect(diagnostic.context == rule, sourceLocation: sourceLocation)
    #expect(diagnostic.message.hasPrefix(plugin), "\(diagnostic)", sourceLocation: sourceLocation)
    #expect(diagnostic.message.hasSuffix(says), "\(diagnostic)", sourceLocation: sourceLocation)
}

/// The plugin doc comments' YAML examples, read from the plugin sources next to the tests.
public enum DocComment {
    /// The fenced ```yaml blocks of the `///` comments in `Sources/Plugins/<folder>/<file>`.
    public static func yamlExamples(folder: String, file: String, testFile: String = #filePath) throws -> [String] {
        var root = URL(fileURLWithPath: testFile)
        for _ in 0..<4 { root.deleteLastPathComponent() }  // <root>/Tests/Plugins/<folder>/<test>.swift
        let source = try String(
            contentsOf: root.appendingPathComponent("Sources/Plugins/\(folder)/\(file)"), encoding: .utf8)
        var examples: [String] = []
        var current: [String]?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("///") else { continue }
            let text = trimmed.dropFirst(3).hasPrefix(" ") ? String(trimmed.dropFirst(4)) : String(trimmed.dropFirst(3))
            if current == nil, text == "```yaml" {
                current = []
            } else if let lines = current, text == "```" {
                examples.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(text)
            }
        }
        return examples
    }

    /// A rule `doc` made of a doc example (`when:` and/or `reward:`), indented as a rule's body;
    /// a rule with no reward gets `percentage: 10%`.
    public static func rule(from example: String) -> String {
        var body = example.split(separator: "\n").map { "    " + $0 }
        if !example.contains("reward:") { body.append("    reward: { percentage: 10% }") }
        return (["  - id: doc"] + body).joined(separator: "\n")
    }
}

/// A fresh `dry-run`: an evaluator over an empty in-memory state, fed event JSON lines in order.
public final class DryRun {
    public let evaluator: Evaluator
    public let state = InMemoryState()

    /// With `explain`, decisions carry the `--explain` trace.
    public init(_ rules: RuleSet, explain: Bool = false) { evaluator = Evaluator(rules: rules, explain: explain) }

    public convenience init(_ fixture: RulesFixture, explain: Bool = false, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        self.init(try fixture.rules(sourceLocation: sourceLocation), explain: explain)
    }

    /// Parses one JSON line as `EventParser` does for a file, processes it, and returns its
    /// decision (not the deferred ones it may release).
    @discardableResult
    public func process(_ json: String) throws -> Decision {
        let event = try EventParser.parse(line: Array(json.utf8)).get()
        let decisions = try evaluator.process(.event(event, .none), state: state)
        return try #require(decisions.first)
    }

    /// The cashback of one payment, in minor units.
    public func cashback(_ json: String) throws -> Int { try process(json).cashback }

    /// Why `rule` did not match the payment, as `--explain` says it (`nil` when it matched).
    public func failure(of rule: String, _ json: String) throws -> String? {
        let trace = try #require(try process(json).trace, "explain is off")
        return try #require(trace.rules.first { $0.rule == rule }).failure
    }
}

/// JSON lines for events, with defaults for what a test does not care about.
public enum EventJSON {
    /// A payment at `SHOP ONE` (the `shop` fixture partner) unless another merchant is given;
    /// `merchant` holds extra merchant members, e.g. `"mcc":"5411","country":"FR"`.
    public static func payment(
        _ id: String = "p1", account: String = "a1", at occurredAt: String = "2026-11-24T12:00:00Z",
        amount: String = "100.00", currency: String = "EUR", name: String = "SHOP ONE", merchant: String = "",
        extra: String = ""
    ) -> String {
        let members = [#""name":"\#(name)""#, merchant].filter { !$0.isEmpty }.joined(separator: ",")
        let tail = extra.isEmpty ? "" : "," + extra
        return #"{"id":"\#(id)","account":"\#(account)","occurred_at":"\#(occurredAt)","amount":"\#(amount)","#
            + #""currency":"\#(currency)","merchant":{\#(members)}\#(tail)}"#
    }

    /// A refund of `amount` of payment `original`.
    public static func refund(
        _ id: String, of original: String, amount: String, currency: String = "EUR",
        at occurredAt: String = "2026-11-25T12:00:00Z"
    ) -> String {
        #"{"id":"\#(id)","type":"refund","original_id":"\#(original)","occurred_at":"\#(occurredAt)","#
            + #""amount":"\#(amount)","currency":"\#(currency)"}"#
    }
}

/// The one-line `example` of a plugin must load as a `when:` item (or a `reward:`, for a reward;
/// as a programme rule with `asProgramRule`) without diagnostics, under its kind.
public func expectExampleLoads(
    kind: String, example: String, isReward: Bool = false, asProgramRule: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(example.hasPrefix("\(kind): "), sourceLocation: sourceLocation)
    #expect(!example.contains("\n"), sourceLocation: sourceLocation)
    let fixture: RulesFixture
    switch (isReward, asProgramRule) {
    case (true, _): fixture = RulesFixture(partner: RulesFixture.partner(reward: example))
    case (false, true):
        fixture = RulesFixture(
            partner: RulesFixture.partner(reward: "percentage: 10%"), program: RulesFixture.program(when: example))
    case (false, false): fixture = RulesFixture(partner: RulesFixture.partner(when: example))
    }
    let outcome = fixture.outcome
    #expect(outcome.diagnostics.map(\.description) == [], sourceLocation: sourceLocation)
    let rule = asProgramRule ? outcome.rules?.program.rules.first : outcome.rules?.partners.first?.rules.first
    #expect((isReward ? rule.map { [$0.rewardKind] } : rule?.conditions.map(\.kind)) == [kind], sourceLocation: sourceLocation)
}

/// The YAML example in a plugin source file's doc comment must load without diagnostics (as a
/// partner rule, or a programme rule with `asProgramRule`).
public func expectDocCommentExampleLoads(
    folder: String, file: String, asProgramRule: Bool = false, testFile: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let examples = try DocComment.yamlExamples(folder: folder, file: file, testFile: testFile)
    #expect(examples.count == 1, sourceLocation: sourceLocation)
    for example in examples {
        let rule = DocComment.rule(from: example)
        let fixture =
            asProgramRule
            ? RulesFixture(partner: RulesFixture.partner(reward: "percentage: 10%"), program: "rules:\n" + rule)
            : RulesFixture(partner: "partner: shop\nmatch: { name: [\"SHOP*\"] }\nrules:\n" + rule)
        let outcome = fixture.outcome
        #expect(outcome.diagnostics.map(\.description) == [], "\(example)", sourceLocation: sourceLocation)
        #expect(outcome.rules != nil, sourceLocation: sourceLocation)
    }
}

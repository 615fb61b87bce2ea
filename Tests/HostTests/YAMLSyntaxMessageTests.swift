import Foundation
import Testing

/// A YAML syntax problem is reported at its own `file:line:col`, in our words, with an
/// unprintable character escaped instead of written to the terminal.
@Suite struct YAMLSyntaxMessageTests {
    @Test(arguments: [
        (
            "partner: x\nmatch: { mid: [M1] }\nrules:\n  - id: r\n    reward: { flat: \"a\u{1F}b\" }\n",
            "partners/p.yaml:5:23: error: control character U+001F cannot appear in a YAML file"
        ),
        (
            "partner: x\nmatch: { mid: [M1] }\nrules:\n\t- id: r\n    reward: { flat: 1.00 }\n",
            "partners/p.yaml:4:1: error: a tab here: YAML indents and separates with spaces only"
        ),
    ])
    func theProblemIsAtItsPosition(file: String, expected: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("partners/p.yaml", file)
        let result = try CashbackBinary.run(["lint", "."], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stdout.contains(expected), "\(result.stdout)")
        #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1F || $0 == "\t" }, "nothing unprintable echoed")
    }
}

/// Lint says what was meant: a singular key for a plural one, a percentage without its sign,
/// and why a date does not exist.
@Suite struct LintSuggestionTests {
    @Test func lintSaysWhatWasMeant() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "partners/p.yaml",
            "partner: x\nmatch: { mid: [M1], country: [FR] }\nactive: { from: 2027-02-30 }\nrules:\n  - id: r\n    reward: { percentage: 3 }\n"
        )
        let result = try CashbackBinary.run(["lint", "."], in: directory.url)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("partners/p.yaml:2:21: error: [x] match: unknown key 'country'; did you mean 'countries'?"))
        #expect(
            result.stdout.contains(
                "partners/p.yaml:3:17: error: [x] active.from: '2027-02-30' is not a date YYYY-MM-DD: February 2027 has 28 days"))
        #expect(result.stdout.contains("write it with a percent sign: '3%'"), "\(result.stdout)")
        #expect(result.stdout.contains(".: 3 errors"))
    }
}

/// A message names its key once: `tiered.mode: marginal works only with by: amount`, never
/// `tiered.mode: mode: marginal …`.
@Suite struct LintMessageKeyTests {
    @Test func noMessageRepeatsItsKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "partners/p.yaml",
            """
            partner: x
            match: { mid: [M1] }
            active: { from: 2027-01-01, until: 2026-01-01 }
            rules:
              - id: r
                reward: { tiered: { by: spend, period: month, mode: marginal, tiers: [{ from: 0, rate: 1% }] } }
              - id: s
                when: [{ date: { from: 2026-12-25, until: 2026-12-01 } }, { time: { from: "10:00", until: "10:00" } }]
                reward: { flat: 1.00 }
                limits: [{ per: payment, period: month, max: 1.00 }]

            """)
        let result = try CashbackBinary.run(["lint", "."], in: directory.url)
        let messages = result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(messages.count >= 4, "\(result.stdout)")
        for message in messages {
            // `[context] path: text`: the text must not start with the path's last key.
            guard let body = message.split(separator: "] ", maxSplits: 1).last,
                let colon = body.range(of: ": ")
            else { continue }
            let key = body[..<colon.lowerBound].split(separator: ".").last.map(String.init) ?? ""
            let text = body[colon.upperBound...]
            #expect(!text.hasPrefix(key + ":") && !text.hasPrefix(key + " "), "\(message)")
        }
    }
}

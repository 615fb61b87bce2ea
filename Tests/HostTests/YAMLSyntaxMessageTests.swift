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

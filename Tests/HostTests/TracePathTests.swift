import Foundation
import Testing

/// An explanation names the partner file by its path inside the rules directory, so a stored
/// trace is the same wherever the rules directory was.
@Suite struct TracePathTests {
    @Test func theTraceNamesThePartnerFileRelativeToTheRules() throws {
        let samples = "rules/samples/payments.jsonl"
        let relative = try CashbackBinary.run(["dry-run", "--rules", "rules", "--format", "json", "--explain", samples])
        let absolute = try CashbackBinary.run([
            "dry-run", "--rules", CashbackBinary.repositoryRoot.appendingPathComponent("rules").path, "--format", "json",
            "--explain", samples,
        ])
        #expect(relative.status == 0 && absolute.status == 0)
        #expect(relative.stdout == absolute.stdout)
        #expect(relative.stdout.contains(#""attribution":"partner carrefour (partners/carrefour.yaml)""#))
        #expect(!absolute.stdout.contains(CashbackBinary.repositoryRoot.path))
    }
}

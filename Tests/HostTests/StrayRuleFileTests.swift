import Foundation
import Testing

/// A partner file in the wrong folder, or with an upper-case extension, would never go live:
/// lint says so (an error when the file declares a partner, a warning otherwise).
@Suite struct StrayRuleFileTests {
    @Test func filesThatAreNotLoadedAreNamed() throws {
        let directory = try ServiceFaultTests.directoryWithTokens()
        defer { directory.remove() }
        let partner = try String(contentsOf: directory.url.appendingPathComponent("rules/partners/paul.yaml"), encoding: .utf8)
        #expect(try CashbackBinary.run(["lint", "rules"], in: directory.url).status == 0)

        try directory.write("rules/notes.yml", "a: 1\n")
        let warned = try CashbackBinary.run(["lint", "rules"], in: directory.url)
        #expect(warned.status == 0, "a warning alone keeps the rules valid")
        #expect(warned.stdout.contains("rules/notes.yml:1:1: warning: not loaded"), "\(warned.stdout)")

        for misplaced in ["rules/shop.yaml", "rules/partner/shop.yaml", "rules/partners/x.YAML"] {
            try directory.write(misplaced, partner.replacingOccurrences(of: "partner: paul", with: "partner: misplaced"))
            let result = try CashbackBinary.run(["lint", "rules"], in: directory.url)
            #expect(result.status == 1, "\(misplaced)")
            #expect(result.stdout.contains("\(misplaced):1:1: error: this partner file is not loaded"), "\(result.stdout)")
            try FileManager.default.removeItem(atPath: directory.path(misplaced))
        }
    }
}

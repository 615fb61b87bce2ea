import Engine
import Foundation
import Testing

/// Walks every golden case folder (`Tests/Fixtures/golden/<case>/`: `rules/`, `events.jsonl`,
/// `expected.jsonl`, a README with the arithmetic) and compares `dry-run --format json` with
/// the expected decisions: every expected key present and equal with the same JSON type,
/// except the free text of `error` and `warning`, whose presence only matters.
@Suite struct GoldenCaseTests {
    static let casesFolder = CashbackBinary.repositoryRoot.appendingPathComponent("Tests/Fixtures/golden")

    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: casesFolder.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: casesFolder.appendingPathComponent("\($0)/expected.jsonl").path)
        }
        .sorted()
    }

    @Test func thereAreGoldenCases() {
        #expect(GoldenCaseTests.caseNames.count >= 5)
    }

    @Test(arguments: GoldenCaseTests.caseNames)
    func dryRunMatchesExpectedDecisions(caseName: String) throws {
        let folder = GoldenCaseTests.casesFolder.appendingPathComponent(caseName)
        // Events come from events.jsonl, then events2.jsonl… when a case has several files; it
        // runs from the case folder so that decisions name the files as given.
        let eventFiles = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("events") && $0.hasSuffix(".jsonl") }.sorted()
        let result = try CashbackBinary.run(["dry-run", "--format", "json", "--rules", "rules"] + eventFiles, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOf: folder.appendingPathComponent("expected.jsonl"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let actual = result.lines
        #expect(actual.count == expected.count, "decision count")
        for (index, (expectedLine, actualLine)) in zip(expected, actual).enumerated() {
            let expectedObject = try JSONParser.parse(String(expectedLine))
            let actualObject = try JSONParser.parse(actualLine)
            guard case .object(let members) = expectedObject else {
                Issue.record("expected.jsonl line \(index + 1) is not an object")
                continue
            }
            for (key, value) in members {
                if key == "error" || key == "warning" {
                    #expect(actualObject[key] != nil, "decision \(index + 1): \(key) missing in \(actualLine)")
                } else {
                    #expect(
                        actualObject[key].map { GoldenCaseTests.sameJSON($0, value) } ?? false,
                        "decision \(index + 1) key \(key): expected \(expectedLine), got \(actualLine)")
                }
            }
        }
    }

    /// JSON equality that keeps types apart (`"2.50"` is not `2.5`) and ignores member order.
    static func sameJSON(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            return left.count == right.count
                && left.allSatisfy { member in rhs[member.key].map { sameJSON(member.value, $0) } ?? false }
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { sameJSON($0, $1) }
        default:
            return lhs == rhs
        }
    }
}

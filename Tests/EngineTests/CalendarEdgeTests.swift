import BuiltinPlugins
import Engine
import PluginTestSupport
import Testing

/// The local dates of the most extreme accepted `occurred_at` values: year 0 west of UTC,
/// year 10000 east of it. Every calendar computation must be total on them (issue 8, A).
@Suite struct CalendarEdgeTests {
    /// Accepted timestamps at both ends of the range, with the widest offsets.
    static let edgeTimestamps = [
        "0001-01-01T00:00:00Z", "0001-01-01T00:30:00+00:00", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00+23:59",
        "0001-01-01T11:59:59.999999999-12:00", "0001-01-03T00:00:00Z", "9999-12-31T23:30:00Z", "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59.5-23:59", "9999-12-29T00:00:00Z",
    ]

    @Test func datesJustOutsideTheTextRangeHaveDescriptionsWeekdaysAndOrder() throws {
        let lastDayOfYear0 = CivilDate(daysSinceEpoch: try #require(CivilDate(iso: "0001-01-01")).daysSinceEpoch - 1)
        #expect(lastDayOfYear0.description == "0000-12-31")
        #expect((lastDayOfYear0.year, lastDayOfYear0.month, lastDayOfYear0.day) == (0, 12, 31))
        let firstDayOf10000 = CivilDate(daysSinceEpoch: try #require(CivilDate(iso: "9999-12-31")).daysSinceEpoch + 1)
        #expect(firstDayOf10000.description == "10000-01-01")
        // 9999-12-31 is a Friday, 0001-01-01 a Monday (proleptic Gregorian).
        #expect(firstDayOf10000.weekday == .sat)
        #expect(lastDayOfYear0.weekday == .sun)
        #expect(lastDayOfYear0 < (try #require(CivilDate(iso: "0001-01-01"))))
        #expect(firstDayOf10000 > (try #require(CivilDate(iso: "9999-12-31"))))
        // Year 0 is a leap year in the proleptic Gregorian calendar.
        let leapDay = CivilDate(daysSinceEpoch: try #require(CivilDate(iso: "0001-01-01")).daysSinceEpoch - 307)
        #expect(leapDay.description == "0000-02-29")
    }

    @Test func everyPeriodOfEveryEdgeDateHoldsItsDay() throws {
        let first = try #require(CivilDate(iso: "0001-01-01")).daysSinceEpoch
        let last = try #require(CivilDate(iso: "9999-12-31")).daysSinceEpoch
        let days = Array((first - 400)...(first + 400)) + Array((last - 400)...(last + 400))
        for day in days {
            let date = CivilDate(daysSinceEpoch: day)
            #expect(date.daysSinceEpoch == day)
            for period in Period.allCases {
                let key = period.key(for: date)
                #expect(key.days.contains(day), "\(period) of \(date): \(key.days)")
                #expect(!key.description.isEmpty)
            }
            #expect(Period.week.key(for: date).days.count == 7)
            #expect(CivilDate(daysSinceEpoch: Period.week.key(for: date).index).weekday == .mon)
        }
        #expect(Period.month.key(for: CivilDate(daysSinceEpoch: first - 1)).description == "0000-12")
        #expect(Period.month.key(for: CivilDate(daysSinceEpoch: last + 1)).description == "10000-01")
        #expect(Period.year.key(for: CivilDate(daysSinceEpoch: first - 1)).days.count == 366)
        #expect(Period.year.key(for: CivilDate(daysSinceEpoch: last + 1)).days.count == 366)
        #expect(Period.month.key(for: CivilDate(daysSinceEpoch: first - 1)).days.count == 31)
    }

    @Test func poisonPillInstantIsYear10000InParisAndYear0InNewYork() throws {
        let paris = try #require(Zone(identifier: "Europe/Paris"))
        let newYork = try #require(Zone(identifier: "America/New_York"))
        let late = paris.localTime(try Timestamp.parse("9999-12-31T23:30:00Z").get())
        #expect(late.date.description == "10000-01-01")
        #expect(late.secondOfDay == 30 * 60)
        let early = newYork.localTime(try Timestamp.parse("0001-01-01T00:30:00+00:00").get())
        #expect(early.date.description == "0000-12-31")
        #expect(Period.month.key(for: late.date).days.contains(late.date.daysSinceEpoch))
        #expect(Period.month.key(for: early.date).days.contains(early.date.daysSinceEpoch))
    }

    static func hostileRules() throws -> RuleSet {
        let outcome = RuleLoader(registry: .builtin).load(sources: HostileCalendarRules.sources())
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.description))")
        return try #require(outcome.rules)
    }

    /// A payment (by mid or by name), a refund of it and a reversal at every edge timestamp.
    static func edgeEvents() -> [String] {
        var lines: [String] = []
        for (stamp, timestamp) in edgeTimestamps.enumerated() {
            for index in HostileCalendarRules.zones.indices {
                let merchants = [
                    #"{"mid":"M\#(index)","mcc":"5411"}"#, #"{"name":"ZONE\#(index) SHOP"}"#, #"{"name":"ACTIVE SHOP"}"#,
                ]
                for (kind, merchant) in merchants.enumerated() {
                    let id = "p\(stamp)-\(index)-\(kind)"
                    lines.append(
                        #"{"id":"\#(id)","account":"A\#(index)","occurred_at":"\#(timestamp)","amount":"12.34","currency":"EUR","merchant":\#(merchant)}"#
                    )
                    lines.append(
                        #"{"id":"r-\#(id)","type":"refund","original_id":"\#(id)","occurred_at":"\#(timestamp)","amount":"1.00","currency":"EUR"}"#
                    )
                }
                lines.append(
                    #"{"id":"v\#(stamp)-\#(index)","type":"reversal","original_id":"p\#(stamp)-\#(index)-1","occurred_at":"\#(timestamp)"}"#
                )
            }
        }
        return lines
    }

    static func inputs(_ lines: [String]) -> [EventInput] {
        lines.enumerated().map { index, line in
            switch EventParser.parse(line: Array(line.utf8)) {
            case .success(let event): return .event(event, EventOrigin(line: index + 1))
            case .failure(let error): return .invalid(error, EventOrigin(line: index + 1))
            }
        }
    }

    @Test func everyEdgeEventIsDecidedWithEveryPeriodAndCalendarCondition() throws {
        let rules = try CalendarEdgeTests.hostileRules()
        let lines =
            CalendarEdgeTests.edgeEvents() + [
                #"{"id":"after","account":"A1","occurred_at":"2026-11-02T10:00:00Z","amount":"20.00","currency":"EUR","merchant":{"mid":"M1"}}"#
            ]
        for explain in [false, true] {
            let evaluator = Evaluator(rules: rules, explain: explain)
            let state = InMemoryState()
            var decisions: [Decision] = []
            for input in CalendarEdgeTests.inputs(lines) {
                decisions += try evaluator.process(input, state: state)
            }
            #expect(decisions.count == lines.count)
            let statuses = Set(decisions.map(\.status))
            #expect(statuses.isSubset(of: [.rewarded, .noReward, .clawback]), "\(statuses)")
            #expect(decisions.filter { $0.status == .rewarded }.count > 100)
            #expect(decisions.last?.eventID == "after" && decisions.last?.status == .rewarded)
            for decision in decisions { #expect(!decision.jsonLine().isEmpty) }
            if explain {
                let texts = decisions.map { $0.jsonLine() }.joined(separator: "\n")
                #expect(texts.contains("local date is 10000-01-01"), "year 10000 is described")
                #expect(texts.contains("local date is 0000-12-31"), "year 0 is described")
            }
        }
    }

    @Test func parallelAssessmentEqualsTheSequentialOracleOnEdgeEvents() throws {
        let rules = try CalendarEdgeTests.hostileRules()
        let inputs = CalendarEdgeTests.inputs(CalendarEdgeTests.edgeEvents())
        let oracleState = InMemoryState()
        var oracle: [String] = []
        for input in inputs {
            oracle += try Evaluator(rules: rules).process(input, state: oracleState).map { $0.jsonLine() }
        }
        let queued = inputs.enumerated().map { QueuedEvent(sequence: Int64($0.offset + 1), input: $0.element) }
        let state = InMemoryState()
        var parallel: [String] = []
        for start in stride(from: 0, to: queued.count, by: 7) {
            let batch = Array(queued[start..<min(start + 7, queued.count)])
            for outcome in try BatchEvaluator(evaluator: Evaluator(rules: rules), workers: 3).evaluate(batch, state: state) {
                guard case .decided(let decisions) = outcome else {
                    Issue.record("\(outcome)")
                    continue
                }
                parallel += decisions.map { $0.jsonLine() }
            }
        }
        #expect(parallel == oracle)
    }
}

import Engine
import Testing

@Suite struct DecimalAmountTests {
    @Test(arguments: [
        ("42.50", 2, 4250), ("42.5", 2, 4250), ("42", 2, 4200), ("0.01", 2, 1), ("250", 0, 250), ("1.250", 3, 1250),
        ("10000000000.00", 2, 1_000_000_000_000),
    ])
    func parsesMinorUnits(text: String, digits: Int, expected: Int) {
        #expect(DecimalAmount.minorUnits(text, digits: digits) == .success(expected))
    }

    @Test(arguments: ["", ".5", "5.", "-1.00", "+1", "1e3", "1,00", " 1", "1.2.3", "١٢"])
    func rejectsWhatIsNotDecimal(text: String) {
        #expect(DecimalAmount.minorUnits(text, digits: 2) == .failure(.notDecimal))
    }

    @Test func rejectsTooManyFractionDigitsEvenTrailingZeros() {
        #expect(DecimalAmount.minorUnits("10.500", digits: 2) == .failure(.tooManyFractionDigits(allowed: 2)))
        #expect(DecimalAmount.minorUnits("1.5", digits: 0) == .failure(.tooManyFractionDigits(allowed: 0)))
    }

    @Test func capsAtTenToTheTwelveMinorUnitsInclusive() {
        #expect(DecimalAmount.minorUnits("10000000000.01", digits: 2) == .failure(.tooLarge))
        #expect(DecimalAmount.minorUnits("1000000000000", digits: 0) == .success(1_000_000_000_000))
        #expect(DecimalAmount.minorUnits("1000000000001", digits: 0) == .failure(.tooLarge))
        #expect(DecimalAmount.minorUnits("99999999999999999999999", digits: 2) == .failure(.tooLarge))
    }

    @Test(arguments: [
        (250, 2, "2.50"), (5, 2, "0.05"), (-5, 2, "-0.05"), (0, 2, "0.00"), (250, 0, "250"), (1250, 3, "1.250"),
        (-125, 0, "-125"), (0, 0, "0"), (100, 2, "1.00"), (1, 4, "0.0001"), (Int.max, 2, "92233720368547758.07"),
        (Int.min, 2, "-92233720368547758.08"), (Int.min, 0, "-9223372036854775808"),
    ])
    func formatsWithExactlyTheCurrencyDigits(units: Int, digits: Int, expected: String) {
        #expect(DecimalAmount.format(units, digits: digits) == expected)
        #expect(DecimalAmount.format(Int128(units), digits: digits) == expected)
    }

    @Test func formatsTotalsBeyondInt() {
        #expect(DecimalAmount.format(Int128.max, digits: 2) == "1701411834604692317316873037158841057.27")
        #expect(DecimalAmount.format(Int128.min, digits: 3) == "-170141183460469231731687303715884105.728")
        #expect(DecimalAmount.format(Int128(Int.max) * 3, digits: 0) == "27670116110564327421")
    }

    @Test func currencyTableKnowsMinorDigits() {
        #expect(Currency(code: "EUR")?.minorDigits == 2)
        #expect(Currency(code: "JPY")?.minorDigits == 0)
        #expect(Currency(code: "KWD")?.minorDigits == 3)
        #expect(Currency(code: "CLF")?.minorDigits == 4)
        #expect(Currency(code: "eur") == nil)
        #expect(Currency(code: "XAU") == nil, "metals have no minor unit")
        #expect(Currency(code: "EURO") == nil)
    }
}

@Suite struct RoundingTests {
    @Test(arguments: [
        // numerator, denominator, down, half-up, half-even
        (33325, 1000, 33, 33, 33), (33500, 1000, 33, 34, 34), (32500, 1000, 32, 33, 32), (2, 3, 0, 1, 1),
        (1, 2, 0, 1, 0), (3, 2, 1, 2, 2), (-3, 2, -1, -2, -2), (-1, 2, 0, -1, 0), (100, 1, 100, 100, 100),
    ])
    func roundsOnceWithEachMode(numerator: Int, denominator: Int, down: Int, halfUp: Int, halfEven: Int) {
        let exact = ExactAmount(numerator: Int128(numerator), denominator: Int128(denominator))
        #expect(exact.rounded(.down) == down)
        #expect(exact.rounded(.halfUp) == halfUp)
        #expect(exact.rounded(.halfEven) == halfEven)
    }

    @Test func ratesKeepFourDecimals() {
        #expect(Rate(percentText: "1.2345%")?.millionths == 12_345)
        #expect(Rate(percentText: "5%")?.of(9999) == ExactAmount(numerator: 9999 * 50_000, denominator: 1_000_000))
        #expect(Rate(percentText: "1.23456%") == nil)
        #expect(Rate(percentText: "5") == nil)
        #expect(Rate(percentText: "2.5%")?.description == "2.5%")
    }

    @Test func largestAmountTimesFullRateDoesNotOverflow() {
        let exact = Rate.whole.of(DecimalAmount.maximumMinorUnits)
        #expect(exact.rounded(.down) == DecimalAmount.maximumMinorUnits)
    }
}

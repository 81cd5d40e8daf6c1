import SimulationKernel
import Testing
import ModelFormat

struct UnitsTests {
    func message(_ body: () throws(UnitError) -> some Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.message
        }
    }

    // MARK: Durations

    @Test(arguments: [
        ("250ms", Int64(250_000_000)), ("2m", 120_000_000_000), ("1.5s", 1_500_000_000), ("1h30m", 5_400_000_000_000),
        ("2d", 172_800_000_000_000), ("500us", 500_000), ("500µs", 500_000), ("500μs", 500_000), ("100ns", 100),
        ("0s", 0), ("0.1s", 100_000_000), (".5s", 500_000_000), ("1h0.5m", 3_630_000_000_000),
        ("0.000000001s", 1), ("1.000000000000000000000s", 1_000_000_000), ("1d2h3m4s5ms6us7ns", 93_784_005_006_007),
        ("9223372036854775807ns", .max), ("106751d23h47m16.854775807s", .max), ("0.1h", 360_000_000_000),
        ("0.3m", 18_000_000_000), ("007s", 7_000_000_000),
    ])
    func `reads durations exactly`(text: String, nanoseconds: Int64) throws {
        #expect(try Units.duration(text) == Interval(nanoseconds: nanoseconds))
    }

    @Test(arguments: [
        ("fast", #"expected a duration such as "250ms", "2m" or "1h30m", found "fast""#),
        ("", #"expected a duration such as "250ms", "2m" or "1h30m", found """#),
        ("5", #"expected a duration such as "250ms", "2m" or "1h30m", found "5" (add a unit: "5s")"#),
        ("2.5", #"expected a duration such as "250ms", "2m" or "1h30m", found "2.5" (add a unit: "2.5s")"#),
        ("-5s", #"durations cannot be negative, found "-5s""#),
        ("-1h30m", #"durations cannot be negative, found "-1h30m""#),
        ("1.5ns", #""1.5ns" is not a whole number of nanoseconds"#),
        ("0.0000000001s", #""0.0000000001s" is not a whole number of nanoseconds"#),
        ("106752d", #"duration is too long, found "106752d"; the longest is about 292 years"#),
        ("9223372036854775808ns", #"duration is too long, found "9223372036854775808ns"; the longest is about 292 years"#),
        ("99999999999999999999999s", #"duration is too long, found "99999999999999999999999s"; the longest is about 292 years"#),
        ("30m1h", #"units must go from largest to smallest, each at most once, found "30m1h""#),
        ("1h1h", #"units must go from largest to smallest, each at most once, found "1h1h""#),
        ("5x", #"unknown duration unit "x" in "5x"; use ns, us, ms, s, m, h or d"#),
        ("5S", #"unknown duration unit "S" in "5S"; use ns, us, ms, s, m, h or d"#),
        ("5min", #"unknown duration unit "min" in "5min"; use ns, us, ms, s, m, h or d"#),
        ("1h30", #"expected a unit after 30 in "1h30" (ns, us, ms, s, m, h or d)"#),
        ("5 s", #"expected a duration such as "250ms", "2m" or "1h30m", found "5 s" (remove the space: "5s")"#),
        (" 5s", #"expected a duration such as "250ms", "2m" or "1h30m", found " 5s" (remove the space: "5s")"#),
        ("+5s", #"expected a duration such as "250ms", "2m" or "1h30m", found "+5s""#),
        ("5.s", #"expected a duration such as "250ms", "2m" or "1h30m", found "5.s""#),
    ])
    func `rejects bad durations saying what was expected`(text: String, expected: String) {
        #expect(message { () throws(UnitError) in try Units.duration(text) } == expected)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (250_000_000, "250ms"), (1_500_000_000, "1.5s"), (5_400_000_000_000, "1h30m"),
        (90_000_000_000, "1m30s"), (60_250_000_000, "1m250ms"), (1_500, "1.5us"), (100, "100ns"),
        (172_800_000_000_000, "2d"), (129_600_000_000_000, "1d12h"), (-250_000_000, "-250ms"),
        (1_000_000_001, "1.000000001s"), (3_600_000_000_001, "1h1ns"), (.max, "106751d23h47m16.854775807s"),
        (.min, "-106751d23h47m16.854775808s"),
    ])
    func `formats intervals exactly`(nanoseconds: Int64, expected: String) {
        #expect(Units.format(Interval(nanoseconds: nanoseconds)) == expected)
    }

    @Test(arguments: 0..<20)
    func `reads back what it formats`(seed: UInt64) throws {
        var random = RandomStream(seed: seed, component: "UnitsTests", purpose: "round trip")
        for _ in 0..<500 {
            let magnitude = random.next(below: 63)
            let nanoseconds = Int64(random.next() >> (1 + magnitude))
            let interval = Interval(nanoseconds: nanoseconds)
            #expect(try Units.duration(Units.format(interval)) == interval)
        }
    }

    // MARK: Rates

    @Test(arguments: [
        ("20/s", 20.0), ("1200/min", 20), ("3.5/h", 3.5 / 3_600), ("1/ms", 1_000), ("0/s", 0), ("2/us", 2e6),
        ("2/µs", 2e6), ("3/ns", 3e9), ("86400/d", 1), (".5/s", 0.5),
    ] as [(String, Double)])
    func `reads rates in events per second`(text: String, perSecond: Double) throws {
        #expect(try Units.rate(text) == perSecond)
    }

    @Test(arguments: [
        ("20", #"expected a rate such as "20/s", "1200/min" or "3.5/h", found "20" (add a unit: "20/s")"#),
        ("fast", #"expected a rate such as "20/s", "1200/min" or "3.5/h", found "fast""#),
        ("20/m", #"unknown time unit "m" in "20/m"; use ns, us, ms, s, min, h or d; write "min" for minutes"#),
        ("20/sec", #"unknown time unit "sec" in "20/sec"; use ns, us, ms, s, min, h or d (write "20/s")"#),
        ("-1/s", #"rates cannot be negative, found "-1/s""#),
        ("/s", #"expected a rate such as "20/s", "1200/min" or "3.5/h", found "/s""#),
        ("20/", #"expected a rate such as "20/s", "1200/min" or "3.5/h", found "20/""#),
        ("20/s/s", #"expected a rate such as "20/s", "1200/min" or "3.5/h", found "20/s/s""#),
        ("20 /s", #"expected a rate such as "20/s", "1200/min" or "3.5/h", found "20 /s" (remove the space: "20/s")"#),
        (String(repeating: "9", count: 400) + "/s", "rate is too large, found \"\(String(repeating: "9", count: 400))/s\""),
    ])
    func `rejects bad rates saying what was expected`(text: String, expected: String) {
        #expect(message { () throws(UnitError) in try Units.rate(text) } == expected)
    }

    // MARK: Sizes

    @Test(arguments: [
        ("512MB", Int64(512_000_000)), ("2GiB", 2 << 30), ("64KB", 64_000), ("64kB", 64_000), ("100B", 100),
        ("1.5GB", 1_500_000_000), ("1.5KiB", 1_536), ("0B", 0), ("1TB", 1_000_000_000_000), ("1TiB", 1 << 40),
        ("0.5MiB", 524_288), ("8388607TiB", 8_388_607 << 40),
    ])
    func `reads sizes in bytes`(text: String, bytes: Int64) throws {
        #expect(try Units.size(text) == bytes)
    }

    @Test(arguments: [
        ("512", #"expected a size such as "512MB", "64KiB" or "100B", found "512" (add a unit: "512B")"#),
        ("big", #"expected a size such as "512MB", "64KiB" or "100B", found "big""#),
        ("1.5B", #""1.5B" is not a whole number of bytes"#),
        ("0.1KiB", #""0.1KiB" is not a whole number of bytes"#),
        ("-1MB", #"sizes cannot be negative, found "-1MB""#),
        ("8388608TiB", #"size is too large, found "8388608TiB""#),
        ("5mb", #"unknown size unit "mb" in "5mb"; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB"#),
        ("5 MB", #"expected a size such as "512MB", "64KiB" or "100B", found "5 MB" (remove the space: "5MB")"#),
    ])
    func `rejects bad sizes saying what was expected`(text: String, expected: String) {
        #expect(message { () throws(UnitError) in try Units.size(text) } == expected)
    }

    // MARK: Percentages

    @Test(arguments: [("99.9%", 99.9), ("0%", 0), ("100%", 100), ("12.5%", 12.5)] as [(String, Double)])
    func `reads percentages as the number before the sign`(text: String, value: Double) throws {
        #expect(try Units.percentage(text) == value)
    }

    @Test(arguments: [
        ("99.9", #"expected a percentage such as "99.9%", found "99.9" (add a unit: "99.9%")"#),
        ("-5%", #"percentages cannot be negative, found "-5%""#),
        ("%", #"expected a percentage such as "99.9%", found "%""#),
        ("5 %", #"expected a percentage such as "99.9%", found "5 %" (remove the space: "5%")"#),
        ("5%%", #"expected a percentage such as "99.9%", found "5%%""#),
    ])
    func `rejects bad percentages saying what was expected`(text: String, expected: String) {
        #expect(message { () throws(UnitError) in try Units.percentage(text) } == expected)
    }

    // MARK: Hints

    @Test func `a space between a number and its unit gets a hint to remove it`() {
        #expect(message { () throws(UnitError) in try Units.duration("5 ms") } == #"expected a duration such as "250ms", "2m" or "1h30m", found "5 ms" (remove the space: "5ms")"#)
        #expect(message { () throws(UnitError) in try Units.rate("20 /s") } == #"expected a rate such as "20/s", "1200/min" or "3.5/h", found "20 /s" (remove the space: "20/s")"#)
        #expect(message { () throws(UnitError) in try Units.size("512 MB") } == #"expected a size such as "512MB", "64KiB" or "100B", found "512 MB" (remove the space: "512MB")"#)
        #expect(message { () throws(UnitError) in try Units.percentage("99.9 %") } == #"expected a percentage such as "99.9%", found "99.9 %" (remove the space: "99.9%")"#)
    }

    @Test(arguments: [("20rps", "20/s"), ("20qps", "20/s"), ("20/sec", "20/s"), ("20 per second", "20/s"), ("1.5tps", "1.5/s"), ("600rpm", "600/min")])
    func `a rate written as requests per second gets a hint to write it with a slash`(text: String, hint: String) {
        #expect(message { () throws(UnitError) in try Units.rate(text) }?.hasSuffix(" (write \"\(hint)\")") == true)
    }

    @Test func `a text that is wrong in other ways gets no hint`() {
        #expect(message { () throws(UnitError) in try Units.duration("5 parsecs") } == #"expected a duration such as "250ms", "2m" or "1h30m", found "5 parsecs""#)
    }
}

import FailureChains
import Reporting
import SimulationKernel
import Testing

/// How the particulars the engine hands over read in `events.csv` and the report: each part kind
/// spelled as docs/output.md writes it, and whole details spelled as the golden files hold them.
struct DetailTextTests {
    @Test(arguments: [
        (Interval.zero, "0s"),
        (Interval(nanoseconds: 1), "0.000001ms"),
        (Interval(nanoseconds: 250_000_000), "250ms"),
        (Interval(nanoseconds: 999_999_999), "999.999999ms"),
        (Interval.seconds(1), "1s"),
        (Interval(nanoseconds: 1_500_000_000), "1.5s"),
        (Interval.seconds(120), "2m"),
        (Interval(nanoseconds: 171_218_203_000), "2m51.218203s"),
        (Interval.seconds(3600), "1h"),
        (Interval.seconds(12_900), "3h35m"),
        (Interval.seconds(3601), "1h1s"),
        (Interval.seconds(86_400), "24h"),
    ])
    func `a duration is spelled in hours, minutes and seconds, below a second in milliseconds, and zero as 0s`(interval: Interval, text: String) {
        #expect(DetailText.render(.duration(interval)) == text)
        #expect(DetailText.duration(interval) == text)
    }

    @Test(arguments: [
        (Interval.zero, "0s"),
        (Interval(nanoseconds: 400_000), "0s"),
        (Interval(nanoseconds: 500_000), "1ms"),
        (Interval(nanoseconds: 249_600_000), "250ms"),
        (Interval(nanoseconds: 999_400_000), "999ms"),
        (Interval(nanoseconds: 1_499_999_999), "1s"),
        (Interval(nanoseconds: 1_500_000_000), "2s"),
        (Interval(nanoseconds: 1_799_500_000_000), "30m"),
    ])
    func `a rounded duration is spelled to the whole second from one second on, to the whole millisecond below`(interval: Interval, text: String) {
        #expect(DetailText.render(.roundedDuration(interval)) == text)
    }

    @Test(arguments: [
        (Int64(0), "0B"),
        (Int64(1023), "1023B"),
        (Int64(1024), "1KiB"),
        (Int64(1536), "1.5KiB"),
        (Int64(1_000_000_000), "953.7MiB"),
        (Int64(1_610_612_736), "1.5GiB"),
        (Int64(2_000_000_000), "1.9GiB"),
        (Int64(16) << 40, "16TiB"),
        (Int64(1) << 60, "1048576TiB"),
    ])
    func `a size is spelled in binary units to a tenth`(bytes: Int64, text: String) {
        #expect(DetailText.render(.bytes(bytes)) == text)
        #expect(DetailText.bytes(bytes) == text)
    }

    @Test func `each other part kind is spelled as the output's number format says`() {
        #expect(DetailText.render(.text("on CPU")) == "on CPU")
        #expect(DetailText.render(.count(0)) == "0")
        #expect(DetailText.render(.count(-3)) == "-3")
        #expect(DetailText.render(.count(404_407)) == "404407")
        #expect(DetailText.render(.rate(12)) == "12/s")
        #expect(DetailText.render(.rate(1.0 / 150)) == "0.006667/s")
        #expect(DetailText.render(.percent(0)) == "0%")
        #expect(DetailText.render(.percent(0.7)) == "70%")
        #expect(DetailText.render(.percent(0.66779)) == "66.8%")
        #expect(DetailText.render(.percentWithTenth(0.9)) == "90.0%")
        #expect(DetailText.render(.percentWithTenth(0.95349)) == "95.3%")
        #expect(DetailText.render(.percentWithTenth(1)) == "100.0%")
        #expect(DetailText.render(.percentAsSet(0.7)) == "70%")
        #expect(DetailText.render(.percentAsSet(0.7225)) == "72.25%")
        #expect(DetailText.render(.seed(.max)) == "18446744073709551615")
    }

    @Test func `no particulars read as nothing, and words read back from a file read as they were written`() {
        #expect(DetailText.render(EventText()) == "")
        #expect(EventText("").text == "")
        #expect(EventText("db: 0 in use, 40 leaked").text == "db: 0 in use, 40 leaked")
    }

    /// Details built the way the engine builds them, against rows of the golden `events.csv` files.
    @Test func `details read as the golden events files hold them`() {
        let examples: [(EventText, String)] = [
            ("utilisation \(percent: 0) (misread: \(percent: 0.6678) in fact) against a target of \(percentAsSet: 0.7): \(20) -> \(16) instances",
             "utilisation 0% (misread: 66.8% in fact) against a target of 70%: 20 -> 16 instances"),
            ("breakerOpened \(duration: Interval(nanoseconds: 171_218_203_000)) ago", "breakerOpened 2m51.218203s ago"),
            ("\(bytes: 90_000_000_000) of \(bytes: 100_000_000_000) used (\(percentWithTenth: 0.9)): writes fail",
             "83.8GiB of 93.1GiB used (90.0%): writes fail"),
            ("heap \(bytes: 2_000_000_000) full: \(bytes: 1_610_612_736) in \(8000) sessions, \(bytes: 0) leaked, allocating a session",
             "heap 1.9GiB full: 1.5GiB in 8000 sessions, 0B leaked, allocating a session"),
            ("heap \(percent: 0.7) full", "heap 70% full"),
            ("\(rate: 1.0 / 150), ramping to \(rate: 6) by \(duration: .seconds(12_900))", "0.006667/s, ramping to 6/s by 3h35m"),
            ("all \(25) threads busy for \(roundedDuration: Interval(nanoseconds: 60_200_000_000)); the instance's threads: \(25) at checkout of db",
             "all 25 threads busy for 1m; the instance's threads: 25 at checkout of db"),
            ("a thread free after \(roundedDuration: .seconds(1800)) all busy; at most \(50) waiting", "a thread free after 30m all busy; at most 50 waiting"),
            ("\(5) restarts within \(duration: .seconds(300)); the instance stays down", "5 restarts within 5m; the instance stays down"),
            ("up in \(duration: .zero)", "up in 0s"),
            ("healthCheckFailed \(3)x (refused)", "healthCheckFailed 3x (refused)"),
            ("seed \(seed: 2)", "seed 2"),
        ]
        for (detail, text) in examples {
            #expect(detail.text == text)
        }
    }
}

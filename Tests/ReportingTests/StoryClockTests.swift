import Reporting
import SimulationKernel
import Testing

struct StoryClockTests {
    func at(_ seconds: Int64, milliseconds: Int64 = 0) -> Instant {
        Instant(nanoseconds: seconds * 1_000_000_000 + milliseconds * 1_000_000)
    }

    @Test func `without a clock start times read as time since the start`() {
        let clock = StoryClock.sinceStart
        #expect(clock.precise(at(12241, milliseconds: 617)) == "3:24:01.617")
        #expect(clock.precise(at(243, milliseconds: 100)) == "4:03.100")
        #expect(clock.minutes(at(12241)) == "3:24")
    }

    @Test func `with a clock start times read as the time of day of the story`() {
        let clock = StoryClock(start: .seconds(23 * 3600))
        #expect(clock.precise(at(0)) == "23:00:00.000")
        #expect(clock.minutes(at(4800)) == "00:20")
        #expect(clock.precise(at(12241, milliseconds: 617)) == "02:24:01.617")
        #expect(clock.minutes(at(25200)) == "06:00")
    }

    @Test func `a clock start is written back as the model writes it`() {
        #expect(StoryClock.timeOfDay(.seconds(23 * 3600)) == "23:00")
        #expect(StoryClock.timeOfDay(.seconds(6 * 3600 + 30 * 60 + 15)) == "06:30:15")
        #expect(StoryClock.timeOfDay(.zero) == "00:00")
    }

    @Test(arguments: [(Int64(3_960_000_000_000), "1h06m"), (840_000_000_000, "14m"), (125_000_000_000, "2m05s"), (40_000_000_000, "40s"),
                      (1_500_000_000, "1.5s"), (250_000_000, "250ms"), (183_600_000_000_000, "2d3h")])
    func `a span reads as people say it`(nanoseconds: Int64, text: String) {
        #expect(StoryClock.span(Interval(nanoseconds: nanoseconds)) == text)
    }
}

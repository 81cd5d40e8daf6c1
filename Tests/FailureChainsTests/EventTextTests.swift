import FailureChains
import SimulationKernel
import Testing

/// The particulars of a state change as the engine hands them over: words and values, no spelling.
struct EventTextTests {
    @Test func `literal words and names join into one text part, and values stay values`() {
        let name = "db"
        let detail: EventText = "all \(5) threads busy for \(duration: .seconds(20)); \(3) at checkout of \(name)"
        #expect(detail.parts == [.text("all "), .count(5), .text(" threads busy for "), .duration(.seconds(20)),
                                 .text("; "), .count(3), .text(" at checkout of db")])
        #expect(detail.counts == [5, 3])
        #expect(("words, \("and more")" as EventText).parts == [.text("words, and more")])
    }

    @Test func `empty words add no part, so no particulars are empty`() {
        let empty = ""
        let detail: EventText = "\(empty)"
        #expect(detail.isEmpty)
        #expect(EventText("").isEmpty)
        #expect(EventText().parts == [])
        var built = EventText()
        built.append(.text(""))
        built.append("up in \(duration: .zero)")
        built.append(", warm")
        #expect(built.parts == [.text("up in "), .duration(.zero), .text(", warm")])
    }

    @Test func `a count and the same digits in words are not the same particulars`() {
        #expect(("capacity \(20)" as EventText) != "capacity 20")
        #expect(("capacity \(20)" as EventText) == "capacity \(20)")
    }

    @Test func `a text begins and ends with another where the values agree and the boundary words do`() {
        let detail: EventText = "all \(5) threads busy for \(roundedDuration: .seconds(20)): \(5) in calls to partner"
        #expect(detail.starts(with: "all \(5) threads busy for "))
        #expect(detail.starts(with: "all \(5) thr"))
        #expect(detail.starts(with: "al"))
        #expect(!detail.starts(with: "all \(6) threads"))
        #expect(!detail.starts(with: "all 5 threads"))
        #expect(detail.ends(with: ": \(5) in calls to partner"))
        #expect(detail.ends(with: "partner"))
        #expect(!detail.ends(with: ": \(4) in calls to partner"))
        #expect(!detail.ends(with: "in calls to back"))
        #expect(!detail.starts(with: "\(detail) and more"))
        #expect(detail.starts(with: detail) && detail.ends(with: detail))
        #expect(detail.containsWords("in calls to") && !detail.containsWords("at checkout"))
    }
}

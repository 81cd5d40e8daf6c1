import FailureChains
import SimulationKernel

/// A state change at a time in seconds.
func change(_ seconds: Double, _ component: String, _ event: String, _ detail: String = "", cause: String = "") -> StateChange {
    StateChange(time: Instant(nanoseconds: Int64((seconds * 1000).rounded()) * 1_000_000), component: component, event: event, detail: EventText(detail), cause: EventText(cause))
}

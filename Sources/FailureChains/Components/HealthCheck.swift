/// A balancer's health check of one instance: the probe in flight, the probes that passed or
/// failed in a row, and the thresholds that turn them into ejection and readmission.
///
/// It knows no event queue and no balancer: `startProbe` gives the token the simulation tags the
/// probe's events with, and `probeEnded(token:success:)` says what the first of them to come
/// means; the simulation ejects or readmits the instance and records it.
package struct HealthCheck {
    /// Why the last probe failed, as far as is known.
    package enum Failure: Equatable {
        /// No answer within the check's timeout (what a probe is presumed until it is answered).
        case timeout
        /// The instance was not up to take it.
        case refused
        /// Handshaking: the probed entry point's threads were busier than the check's threshold.
        case busy
        /// The probe ran and ended with this outcome.
        case answered(Outcome)
    }

    /// What the end of a probe (its answer or its timeout) means.
    package enum Verdict: Equatable {
        /// Not the probe in flight: another end of it came first, or a newer probe started.
        case stale
        /// Counted, without reaching a threshold.
        case counted
        /// Successes in a row reached the healthy threshold: an ejected instance may be readmitted.
        case healthy(consecutive: Int)
        /// Failures in a row reached the unhealthy threshold: an admitted instance is ejected.
        case unhealthy(consecutive: Int, lastFailure: Failure)
    }

    /// Consecutive successes that readmit an ejected instance.
    package let healthyThreshold: Int
    /// Consecutive failures that eject an instance.
    package let unhealthyThreshold: Int
    /// Identifies the probe in flight; answers and timeouts with another token are ignored.
    package private(set) var token: UInt32 = 0
    package private(set) var consecutiveSuccesses = 0
    package private(set) var consecutiveFailures = 0
    /// Why the probe in flight, or the last one, failed.
    package private(set) var lastFailure = Failure.timeout

    /// Creates the check of one instance, with no probe in flight.
    ///
    /// - Parameter spec: The balancer's health check; nil for a service without one, whose
    ///   thresholds are never reached.
    package init(spec: HealthCheckSpec?) {
        healthyThreshold = spec?.healthyThreshold ?? Int.max
        unhealthyThreshold = spec?.unhealthyThreshold ?? Int.max
    }

    /// Starts a probe; until it is answered it counts as timed out.
    ///
    /// - Returns: The probe's token, for its events.
    package mutating func startProbe() -> UInt32 {
        token &+= 1
        lastFailure = .timeout
        return token
    }

    /// Notes why a probe failed, if it is the one in flight.
    package mutating func noteFailure(_ failure: Failure, token: UInt32) {
        guard token == self.token else { return }
        lastFailure = failure
    }

    /// Counts the first end of the probe in flight, its answer or its timeout; later ends of it
    /// are stale.
    ///
    /// - Parameters:
    ///   - token: The token of the probe that ended.
    ///   - success: Whether it succeeded.
    /// - Returns: What it means for the instance's admission.
    package mutating func probeEnded(token: UInt32, success: Bool) -> Verdict {
        guard token == self.token else { return .stale }
        self.token &+= 1  // later answers to this probe are ignored
        if success {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            return consecutiveSuccesses >= healthyThreshold ? .healthy(consecutive: consecutiveSuccesses) : .counted
        }
        consecutiveFailures += 1
        consecutiveSuccesses = 0
        return consecutiveFailures >= unhealthyThreshold ? .unhealthy(consecutive: consecutiveFailures, lastFailure: lastFailure) : .counted
    }

    /// Forgets the probes in a row (the instance left service); a probe in flight stays so.
    package mutating func resetCounts() {
        consecutiveSuccesses = 0
        consecutiveFailures = 0
    }
}

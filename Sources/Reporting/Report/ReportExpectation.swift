/// One expectation of the model as the report's header lists it.
public struct ReportExpectation: Sendable, Equatable {
    /// What is expected: `kiosks successRatio maximum from 3h40m to 6h15m below 0.1`.
    public var text: String
    /// Whether it held; nil when it could not be evaluated.
    public var passed: Bool?
    /// The value measured, if any.
    public var measured: Double?
    /// Why it could not be evaluated, when it could not.
    public var note: String

    /// Creates an expectation line.
    public init(text: String, passed: Bool?, measured: Double?, note: String = "") {
        self.text = text
        self.passed = passed
        self.measured = measured
        self.note = note
    }
}

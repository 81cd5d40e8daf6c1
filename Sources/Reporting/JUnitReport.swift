/// The result of `faultline check` as JUnit XML, the format CI systems read test results in: one
/// test suite for the model, one test case per expectation, with its measured value.
///
/// A failed expectation is a `<failure>`; an expectation that could not be evaluated (the run was
/// cut short, or the model is invalid) is an `<error>`. No wall-clock time or date is written, so
/// the same run gives the same file.
public struct JUnitReport: Sendable, Equatable {
    /// One test case.
    public struct Case: Sendable, Equatable {
        /// What was tested, as the terminal prints it: `web latencyP99 below 2s`.
        public var name: String
        /// Where it is written: `models/x.json5:40:5`, or empty.
        public var location: String
        /// How it ended.
        public var verdict: Verdict
        /// The value measured, if any.
        public var measured: Double?
        /// The line the terminal prints for it.
        public var message: String

        /// Creates a case.
        public init(name: String, location: String, verdict: Verdict, measured: Double?, message: String) {
            self.name = name
            self.location = location
            self.verdict = verdict
            self.measured = measured
            self.message = message
        }
    }

    /// How a test case ended.
    public enum Verdict: Sendable, Equatable {
        case passed, failed, error
    }

    /// The suite's name: the model's name, or the file's when the model could not be read.
    public var suite: String
    /// The model file.
    public var file: String
    /// Properties of the run, in order: seed, fingerprint, ...
    public var properties: [(name: String, value: String)]
    /// The test cases, in the model's order.
    public var cases: [Case]

    /// Creates a report.
    public init(suite: String, file: String, properties: [(name: String, value: String)], cases: [Case]) {
        self.suite = suite
        self.file = file
        self.properties = properties
        self.cases = cases
    }

    public static func == (left: JUnitReport, right: JUnitReport) -> Bool {
        left.xml == right.xml
    }

    /// The document.
    public var xml: String {
        let failures = cases.count { $0.verdict == .failed }
        let errors = cases.count { $0.verdict == .error }
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\""
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<testsuites name=\"faultline check\" \(counts)>\n"
        text += "  <testsuite name=\(attribute(suite)) \(counts) skipped=\"0\" file=\(attribute(file))>\n"
        if !properties.isEmpty {
            text += "    <properties>\n"
            for property in properties {
                text += "      <property name=\(attribute(property.name)) value=\(attribute(property.value))/>\n"
            }
            text += "    </properties>\n"
        }
        for testCase in cases {
            var opening = "    <testcase classname=\(attribute(suite)) name=\(attribute(testCase.name))"
            if let (file, line) = Self.fileAndLine(testCase.location) {
                opening += " file=\(attribute(file)) line=\"\(line)\""
            }
            text += opening + ">\n"
            switch testCase.verdict {
            case .passed: break
            case .failed:
                text += "      <failure type=\"expectationFailed\" message=\(attribute(testCase.message))>\(escape(testCase.message))</failure>\n"
            case .error:
                text += "      <error type=\"notEvaluated\" message=\(attribute(testCase.message))>\(escape(testCase.message))</error>\n"
            }
            if let measured = testCase.measured {
                text += "      <system-out>measured \(CSVText.value(.real(measured)))</system-out>\n"
            }
            text += "    </testcase>\n"
        }
        text += "  </testsuite>\n</testsuites>\n"
        return text
    }

    /// `models/x.json5:40:5` as (`models/x.json5`, 40).
    static func fileAndLine(_ location: String) -> (String, Int)? {
        let parts = location.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let line = Int(parts[parts.count - 2]) else { return nil }
        return (parts.dropLast(2).joined(separator: ":"), line)
    }
}

/// Text escaped for XML content.
func escape(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "\n": result += "&#10;"
        case "\t": result += "&#9;"
        default:
            // XML 1.0 allows no other control characters, even escaped.
            if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                result += "?"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result
}

/// An XML attribute value, quoted.
func attribute(_ text: String) -> String {
    "\"" + escape(text) + "\""
}

import Reporting
import Testing

/// The output code spells numbers and reads manifests without Foundation's full library; these
/// are the spellings Foundation's `String(format:)` and `JSONSerialization` gave (measured with it).
struct FoundationFreeTextTests {
    @Test func `printf text spells numbers as String(format:) did`() {
        #expect(PrintfText.format("%.4g", 1234.5678) == "1235")
        #expect(PrintfText.format("%.4g", 0.00012345) == "0.0001234")
        #expect(PrintfText.format("%.4g", -0.000098765) == "-9.876e-05")
        #expect(PrintfText.format("%.4g", 123456789.0) == "1.235e+08")
        #expect(PrintfText.format("%.4g", 9.99995) == "10")
        #expect(PrintfText.format("%.4g", -0.0) == "-0")
        #expect(PrintfText.format("%.1e", 0.00012345) == "1.2e-04")
        #expect(PrintfText.format("%.1e", 1e-300) == "1.0e-300")
        #expect(PrintfText.format("%.1f", 1234.5678) == "1234.6")
        #expect(PrintfText.format("%.2f", 2.5) == "2.50")
        #expect(PrintfText.format("%.3f", 123456789.0) == "123456789.000")
    }

    @Test func `printf text grows its buffer for a long number`() {
        #expect(PrintfText.format("%.1f", 1e100).count == 103)
        #expect(PrintfText.format("%.1f", 1e100).hasPrefix("10000000000000000159"))
    }

    @Test func `a manifest's numbers read as NSNumber spelled them`() throws {
        let object = try #require(ManifestJSON.object(#"{"d": 25200.000000000, "r": 16, "level": 0.95, "a": 1e-9, "x": 1.5e3, "s": 18446744073709551615, "n": -3}"#))
        func text(_ key: String) -> String? { (object[key] as? ManifestNumber)?.description }
        #expect(text("d") == "25200.0")
        #expect(text("r") == "16")
        #expect(text("level") == "0.95")
        #expect(text("a") == "1e-09")
        #expect(text("x") == "1500.0")
        #expect(text("s") == "18446744073709551615")
        #expect(text("n") == "-3")
        #expect((object["r"] as? ManifestNumber)?.int == 16)
        #expect((object["d"] as? ManifestNumber)?.int == 25200)
        #expect((object["level"] as? ManifestNumber)?.int == nil)
        #expect((object["level"] as? ManifestNumber)?.double == 0.95)
    }

    @Test func `a manifest's strings, flags, lists, objects and nulls keep their kinds`() throws {
        let object = try #require(ManifestJSON.object(#"{"model": "a\"b\u00e9", "complete": true, "overrides": ["x=1", "y=2"], "points": [{"values": ["1"]}], "stoppedBy": null}"#))
        #expect(object["model"] as? String == "a\"bé")
        #expect(object["complete"] as? Bool == true)
        #expect(object["overrides"] as? [String] == ["x=1", "y=2"])
        #expect((object["points"] as? [[String: Any]])?.first?["values"] as? [String] == ["1"])
        #expect(object["stoppedBy"] is ManifestNull)
        #expect(object["missing"] == nil)
    }

    @Test func `a manifest that is not a JSON object reads as none`() {
        #expect(ManifestJSON.object("[1, 2]") == nil)
        #expect(ManifestJSON.object("{\"a\": ") == nil)
        #expect(ManifestJSON.object("") == nil)
    }
}

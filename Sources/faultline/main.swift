#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The faultline command line: parses the command, runs it, exits with the documented code.
let status = CommandLineTool.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)

import ArgumentParser
import Foundation

/// `-o` of the tools that end with a report: text for people, JSON for machines.
enum ReportFormat: String, ExpressibleByArgument {
    case text, json

    /// The report as indented JSON on standard output.
    static func printJSON(_ report: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

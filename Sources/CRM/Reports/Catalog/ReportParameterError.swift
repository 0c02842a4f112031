/// Why the parameters of a report request were refused: a stable code and a message a person
/// can act on. The server answers it with 400 (404 for an unknown report); the CLI prints it.
public struct ReportParameterError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, Codable {
        case unknownReport = "unknown_report"
        case unknownParameter = "unknown_parameter"
        case invalidParameter = "invalid_parameter"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

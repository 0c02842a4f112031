/// A refusal with a stable code that devices and scripts rely on and a message a person can act
/// on, described as `message [code]`. `Code` lists one area's codes: `LoyaltyError` (the points
/// ledger), `VisitPlanError` (visit plans and follow-ups).
public struct CodedError<Code: RawRepresentable & Sendable & Hashable>: Error, Sendable, Hashable, CustomStringConvertible
where Code.RawValue == String {
    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code.rawValue)]" }
}

import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// A new customer as the rep records it.
    public struct NewAccount: Sendable {
        public var name: String
        /// The sales territory (a key or title on the server's list); it decides who sees the account.
        public var territory: String
        public var city: String?
        public var industry: String?
        public var phone: String?
        public var email: String?
        /// How the customer came: a value of the schema's source list.
        public var source: String?

        public init(
            name: String, territory: String, city: String? = nil, industry: String? = nil, phone: String? = nil, email: String? = nil,
            source: String? = nil
        ) {
            self.name = name
            self.territory = territory
            self.city = city
            self.industry = industry
            self.phone = phone
            self.email = email
            self.source = source
        }
    }

    /// Creates an account owned by the enrolled user, at the start of its lifecycle (prospect).
    /// Values are checked as an edit checks them: the territory against the server's list as
    /// the last sync brought it, the phone and e-mail against their formats.
    public func createAccount(_ new: NewAccount) throws -> AppliedEdit {
        let accountSchema = try bench.entity("account")
        let given: [(String, String?)] = [
            ("name", new.name), ("territory", new.territory), ("lifecycle", "prospect"), ("city", new.city), ("industry", new.industry),
            ("phone", new.phone), ("email", new.email), ("source", new.source), ("owner", try bench.user()),
        ]
        let assignments = given.compactMap { field, text in text.map { FieldAssignment(field: field, text: $0) } }
        return try bench.apply(.create(accountSchema.name, try bench.editor(accountSchema, current: nil).operations(assigning: assignments)))
    }
}

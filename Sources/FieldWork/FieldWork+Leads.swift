import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// What converting a lead creates.
    public struct LeadConversion: Sendable {
        /// The lead: an id, a unique prefix or its name.
        public var lead: String
        /// Convert into this existing account instead of creating one.
        public var account: String?
        /// Create a new account even when one with the same name and city exists.
        public var forceNewAccount: Bool
        /// The opportunity's title (default: New business: COMPANY).
        public var opportunityTitle: String?
        public var amount: Amount?
        /// The amount's currency code (CNY, USD, …).
        public var currency: String?
        public var expectedClose: CalendarDay?
        /// When it happened (default: now): the opportunity is created on its day.
        public var at: FieldTime?

        public init(
            lead: String, account: String? = nil, forceNewAccount: Bool = false, opportunityTitle: String? = nil,
            amount: Amount? = nil, currency: String? = nil, expectedClose: CalendarDay? = nil, at: FieldTime? = nil
        ) {
            self.lead = lead
            self.account = account
            self.forceNewAccount = forceNewAccount
            self.opportunityTitle = opportunityTitle
            self.amount = amount
            self.currency = currency
            self.expectedClose = expectedClose
            self.at = at
        }
    }

    /// Converts a lead (线索转化) into an account, a contact and an opportunity at
    /// qualification, and marks the lead converted with the account and opportunity it became:
    /// one transaction, so the conversion happens whole or not at all. Returns the edits of the
    /// account (unless converting into an existing one), the contact (unless one of that name
    /// is already on the account), the opportunity and the lead, in that order.
    ///
    /// A probable duplicate account (same name and city) stops the conversion: the rep either
    /// converts into it (`account`) or says it is another company (`forceNewAccount`). Into an
    /// existing account, a contact of the same name is reused rather than created twice.
    public func convertLead(_ conversion: LeadConversion) throws -> [AppliedEdit] {
        let leadSchema = try bench.entity("lead")
        let lead = try bench.liveRecord(leadSchema, conversion.lead)
        let label = RecordLabel.of(lead, schema: bench.schema)
        switch lead.value("status").stringValue {
        case "converted"?:
            if let account = lead.value("converted_account").stringValue {
                throw SyncCore.ValidationError(.invalidTransition, .leadConvertedInto, ["lead": label, "account": account])
            }
            throw SyncCore.ValidationError(.invalidTransition, .leadConverted, ["lead": label])
        case "disqualified"?:
            throw SyncCore.ValidationError(
                .invalidTransition,
                .leadDisqualified, ["lead": label, "id": lead.id.prefix(8)]
            )
        default:
            break
        }
        guard let company = lead.value("company").stringValue, let territory = lead.value("territory").stringValue else {
            throw SyncCore.ValidationError(.missingRequiredField, .leadNeedsCompany, ["lead": label])
        }
        let owner = try lead.value("owner").stringValue ?? bench.user()
        var edits: [LocalEdit] = []

        // The account.
        let accountSchema = try bench.entity("account")
        let accountID: RecordID
        var existingAccount: RecordSnapshot?
        if let chosen = conversion.account {
            let account = try bench.liveRecord(accountSchema, chosen)
            accountID = account.id
            existingAccount = account
        } else {
            if !conversion.forceNewAccount, let twin = try probableDuplicate(company: company, city: lead.value("city").stringValue) {
                throw SyncCore.ValidationError(.invalidValue, .leadCompanyExists, ["account": RecordLabel.of(twin, schema: bench.schema), "id": twin.id.prefix(8)])
            }
            accountID = RecordIDs.make()
            var account: [LocalOperation] = [
                .set("name", .string(company)), .set("territory", .string(territory)), .set("lifecycle", .string("prospect")),
            ]
            if let owner { account.append(.set("owner", .string(owner))) }
            for field in ["city", "industry", "source"] where lead.value(field) != .null {
                account.append(.set(field, lead.value(field)))
            }
            edits.append(.create(accountSchema.name, id: accountID, account))
        }

        // The contact: the person of the lead.
        let contactSchema = try bench.entity("contact")
        let personName = lead.value("name").stringValue ?? company
        let sameName = try existingAccount.map { account in
            try bench.store.records(contactSchema.name, matching: [.equals("account", .string(account.id))])
                .filter { $0.value("name").stringValue.map(Normalization.key) == Normalization.key(personName) }
        } ?? []
        if sameName.isEmpty {
            var contact: [LocalOperation] = [.set("account", .string(accountID)), .set("name", .string(personName))]
            for field in ["phone", "email"] where lead.value(field) != .null {
                contact.append(.set(field, lead.value(field)))
            }
            edits.append(.create(contactSchema.name, contact))
        }

        // The opportunity, at the start of the pipeline.
        let opportunitySchema = try bench.entity("opportunity")
        let editor = bench.editor(opportunitySchema, current: nil)
        let opportunityID = RecordIDs.make()
        let title = conversion.opportunityTitle ?? String("New business: \(company)".prefix(200))
        var opportunity: [LocalOperation] = [
            .set("account", .string(accountID)), .set("title", .string(title)),
            .set("stage", .string(OpportunityStage.qualification.rawValue)),
            .set("created_on", .string((conversion.at ?? .now()).day.description)),
        ]
        if let owner { opportunity.append(.set("owner", .string(owner))) }
        if let amount = conversion.amount {
            opportunity.append(.set("amount", try editor.value(of: try editor.field("amount"), amount.description)))
        }
        if let currency = conversion.currency { opportunity.append(.set("currency", try editor.value(of: try editor.field("currency"), currency))) }
        if let expectedClose = conversion.expectedClose { opportunity.append(.set("expected_close", .string(expectedClose.description))) }
        edits.append(.create(opportunitySchema.name, id: opportunityID, opportunity))

        // The lead remembers what it became.
        edits.append(.update(leadSchema.name, id: lead.id, [
            .set("status", .string("converted")), .set("converted_account", .string(accountID)),
            .set("converted_opportunity", .string(opportunityID)),
        ]))
        return try bench.apply(edits.map { $0.at(conversion.at?.timestamp) })
    }

    /// An account with the same name and city (compared as `Normalization.duplicateKey` does).
    private func probableDuplicate(company: String, city: String?) throws -> RecordSnapshot? {
        let key = Normalization.duplicateKey(name: company, city: city)
        return try bench.store.records("account", limit: Int.max).first { account in
            Normalization.duplicateKey(name: account.value("name").stringValue ?? "", city: account.value("city").stringValue) == key
        }
    }
}

import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// A new contract as the rep records it.
    public struct NewContract: Sendable {
        /// The account: an id, a unique prefix or its name.
        public var account: String
        public var title: String
        public var startsOn: CalendarDay
        /// The last day it runs.
        public var endsOn: CalendarDay
        public var number: String?
        /// The order it was signed for (must belong to the account).
        public var order: String?
        public var value: Amount?
        public var currency: String?
        public var paymentTerms: PaymentTerms?
        /// The contract terms (合同条款).
        public var terms: String?
        /// How many days before `endsOn` the renewal is due (default 30).
        public var renewalNoticeDays: Int?
        /// Signed now: active from the start, `signed_on` the day of `at`; else a draft.
        public var signed: Bool
        public var at: FieldTime?

        public init(
            account: String, title: String, startsOn: CalendarDay, endsOn: CalendarDay, number: String? = nil, order: String? = nil,
            value: Amount? = nil, currency: String? = nil, paymentTerms: PaymentTerms? = nil, terms: String? = nil,
            renewalNoticeDays: Int? = nil, signed: Bool = false, at: FieldTime? = nil
        ) {
            self.account = account
            self.title = title
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.number = number
            self.order = order
            self.value = value
            self.currency = currency
            self.paymentTerms = paymentTerms
            self.terms = terms
            self.renewalNoticeDays = renewalNoticeDays
            self.signed = signed
            self.at = at
        }
    }

    /// Records a contract on an account, owned by the enrolled user: a draft, or active when
    /// signed. The CRM rules refuse an end before the start.
    public func createContract(_ new: NewContract) throws -> AppliedEdit {
        let contractSchema = try bench.entity("contract")
        let account = try bench.liveRecord(try bench.entity("account"), new.account)
        let editor = bench.editor(contractSchema, current: nil)
        let status: ContractStatus = new.signed ? .active : .draft
        var operations: [LocalOperation] = [
            .set("account", .string(account.id)), .set("title", try editor.value(of: try editor.field("title"), new.title)),
            .set("status", .string(status.rawValue)), .set("starts_on", .string(new.startsOn.description)),
            .set("ends_on", .string(new.endsOn.description)),
        ]
        if new.signed { operations.append(.set("signed_on", .string((new.at ?? .now()).day.description))) }
        if let orderText = new.order {
            let order = try bench.liveRecord(try bench.entity("order"), orderText)
            guard order.value("account") == .string(account.id) else {
                throw SyncCore.ValidationError(.invalidValue, .orderOfAnotherAccount, ["order": RecordLabel.of(order, schema: bench.schema)])
            }
            operations.append(.set("order", .string(order.id)))
            if order.value("quote") != .null { operations.append(.set("quote", order.value("quote"))) }
        }
        let typed: [(String, String?)] = [
            ("number", new.number), ("value", new.value?.description), ("currency", new.currency), ("payment_terms", new.paymentTerms?.rawValue),
            ("renewal_notice_days", new.renewalNoticeDays.map(String.init)),
        ]
        for case (let field, let text?) in typed { operations.append(.set(field, try editor.value(of: try editor.field(field), text))) }
        if let terms = new.terms { operations.append(.set("terms", .string(terms))) }
        if let user = try bench.user() { operations.append(.set("owner", .string(user))) }
        return try bench.apply(LocalEdit.create(contractSchema.name, operations).at(new.at?.timestamp))
    }

    /// Activates (signs) a draft contract or terminates one, stamping the day of `at`
    /// (`signed_on`, `terminated_on`); the rules refuse other moves with `invalid_transition`.
    public func moveContract(_ contractID: String, to status: ContractStatus, at: FieldTime? = nil) throws -> AppliedEdit {
        let contractSchema = try bench.entity("contract")
        let contract = try bench.liveRecord(contractSchema, contractID)
        var operations: [LocalOperation] = [.set("status", .string(status.rawValue))]
        if let field = status.dayField, contract.value("status") != .string(status.rawValue), contract.value(field) == .null {
            operations.append(.set(field, .string((at ?? .now()).day.description)))
        }
        return try bench.apply(LocalEdit.update(contractSchema.name, id: contract.id, operations).at(at?.timestamp))
    }

    /// Renews an active contract until `endsOn`: a new active contract from the day after the
    /// old one ends, with the same terms, `previous` naming the old one, whose `renewed_by`
    /// names the new one (so it leaves the renewal list). One transaction.
    public func renewContract(_ contractID: String, until endsOn: CalendarDay, value: Amount? = nil, at: FieldTime? = nil) throws -> [AppliedEdit] {
        let contractSchema = try bench.entity("contract")
        let contract = try bench.liveRecord(contractSchema, contractID)
        let label = RecordLabel.of(contract, schema: bench.schema)
        guard contract.value("status") == .string(ContractStatus.active.rawValue) else {
            throw SyncCore.ValidationError(.invalidTransition, .contractNotActive, ["contract": label, "status": contract.value("status")])
        }
        if contract.value("renewed_by") != .null {
            throw SyncCore.ValidationError(.invalidTransition, .contractAlreadyRenewed, ["contract": label, "renewal": contract.value("renewed_by")])
        }
        guard let ends = contract.value("ends_on").stringValue.flatMap(CalendarDay.init) else {
            throw SyncCore.ValidationError(.missingRequiredField, .contractWithoutEnd, ["contract": label])
        }
        let renewal = RecordIDs.make()
        var operations: [LocalOperation] = [
            .set("status", .string(ContractStatus.active.rawValue)), .set("starts_on", .string(ends.adding(days: 1).description)),
            .set("ends_on", .string(endsOn.description)), .set("previous", .string(contract.id)),
            .set("signed_on", .string((at ?? .now()).day.description)),
        ]
        for field in ["account", "title", "number", "order", "quote", "currency", "payment_terms", "terms", "renewal_notice_days", "owner"]
        where contract.value(field) != .null {
            operations.append(.set(field, contract.value(field)))
        }
        if let amount = value ?? contract.value("value").stringValue.flatMap(Amount.init) { operations.append(.set("value", .string(amount.description))) }
        return try bench.apply([
            LocalEdit.create(contractSchema.name, id: renewal, operations).at(at?.timestamp),
            .update(contractSchema.name, id: contract.id, [.set("renewed_by", .string(renewal))]),
        ])
    }

    /// The contracts due for renewal as of a day (default today in China time): see
    /// `ContractRenewals`; `within` lists those ending within that many days instead of by
    /// their own renewal notice.
    public func contractsDue(asOf: CalendarDay? = nil, within days: Int? = nil) throws -> ContractRenewals {
        let day = asOf ?? DeviceReports.now().day(utcOffsetMinutes: ReportCatalog.defaultUTCOffsetMinutes)
        return ContractRenewals(try DeviceReports(store: bench.store).dataSet(), asOf: day, within: days)
    }
}

/// The contracts due for renewal as of a day (合同续约提醒).
///
/// A contract is due when it is active, not yet renewed (`renewed_by` unset), and either its
/// renewal day (`ends_on` − `renewal_notice_days`, 30 by default) has come, or — when `within`
/// is given — it ends within that many days. Contracts that already ended unrenewed stay on
/// the list (expired, with negative days left) until they are renewed or terminated. Sorted
/// by end day, then title and id.
public struct ContractRenewals: Hashable, Sendable {
    /// One contract to renew.
    public struct Item: Hashable, Sendable, Codable {
        public var contract: String
        public var account: String
        public var accountName: String
        public var title: String
        public var endsOn: CalendarDay
        /// `ends_on` − `asOf`: below zero when the contract has expired.
        public var daysLeft: Int
        public var isExpired: Bool { daysLeft < 0 }
    }

    public var asOf: CalendarDay
    public var items: [Item]

    public init(_ dataSet: CRMDataSet, asOf: CalendarDay, within days: Int? = nil, owner: String? = nil) {
        self.asOf = asOf
        items = dataSet.contracts.compactMap { contract -> Item? in
            guard contract.status == ContractStatus.active.rawValue, contract.renewedBy == nil, let endsOn = contract.endsOn,
                let account = contract.account, owner == nil || contract.owner == owner
            else { return nil }
            let due = days.map { endsOn <= asOf.adding(days: $0) } ?? (contract.renewalDueOn.map { $0 <= asOf } ?? false)
            guard due else { return nil }
            return Item(
                contract: contract.id, account: account, accountName: dataSet.accountName(account), title: contract.title, endsOn: endsOn,
                daysLeft: endsOn.days(since: asOf)
            )
        }
        .sorted { ($0.endsOn, $0.title, $0.contract) < ($1.endsOn, $1.title, $1.contract) }
    }
}

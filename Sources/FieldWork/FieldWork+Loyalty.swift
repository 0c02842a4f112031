import CRM
import SyncCore
import SyncStore

/// Loyalty points (积分) on the device: every movement is a new `loyalty_entry` (insert-only),
/// the balance is derived from them, and a redemption is checked against this device's escrow
/// inside the transaction that writes it (see README.md, "Loyalty points").
extension FieldWork {
    /// An account's loyalty as this device sees it.
    public struct Loyalty: Sendable {
        public var account: RecordSnapshot
        public var ledger: LoyaltyLedger
        public var program: LoyaltyProgram
        public var device: String

        public var level: LoyaltyProgram.Level { program.level(forLifetimePoints: ledger.lifetimePoints) }
        public var escrow: Int64 { ledger.escrow(of: device) }

        /// One line for `show account` and `points balance`.
        public var summary: String {
            var text = "\(ledger.balance) points, level \(level.name) (lifetime \(ledger.lifetimePoints)"
            if let next = program.nextLevel(after: ledger.lifetimePoints) { text += "; \(next.missing) more for \(next.level.name)" }
            text += "); this device may redeem \(escrow) offline"
            return text
        }
    }

    private var deviceID: String { bench.store.replicaID.rawValue }

    /// The ledger of `account` read inside one transaction.
    public static func ledger(of accountID: RecordID, _ reader: TransactionReader) throws -> LoyaltyLedger {
        let account = try reader.state(CRMSchema.account.name, id: accountID) ?? RecordState(entity: CRMSchema.account.name, id: accountID)
        return LoyaltyLedger(account: account, records: try reader.states(CRMSchema.loyaltyEntry.name, account: accountID))
    }

    public func loyalty(of accountID: String) throws -> Loyalty {
        let account = try bench.liveRecord(try bench.entity(CRMSchema.account.name), accountID)
        let (ledger, program) = try bench.store.read { reader in
            // Only the targets that set the program, not every rep's KPI targets.
            (try Self.ledger(of: account.id, reader),
             LoyaltyProgram(targets: try reader.states(CRMSchema.target.name, where: "kpi", isOneOf: LoyaltyProgram.settings)))
        }
        return Loyalty(account: account, ledger: ledger, program: program, device: deviceID)
    }

    /// The account's movements, oldest first (by time, then id).
    public func loyaltyHistory(of accountID: String) throws -> (loyalty: Loyalty, entries: [LoyaltyEntry]) {
        let loyalty = try loyalty(of: accountID)
        return (loyalty, loyalty.ledger.entries.sorted { ($0.at ?? "", $0.id) < ($1.at ?? "", $1.id) })
    }

    private func entry(_ movement: LoyaltyMovement, _ points: Int64, account: RecordID, reason: String?, order: RecordID? = nil, reward: String? = nil) -> LocalEdit {
        let entry = LoyaltyEntry(
            id: RecordIDs.make(), account: account, movement: movement, points: points,
            device: movement == .earn ? nil : deviceID, reason: reason, order: order, reward: reward, at: Days.nowTimestamp()
        )
        return .create(CRMSchema.loyaltyEntry.name, id: entry.id, entry.fields.map { .set($0.name, $0.value) })
    }

    /// Points earned: from an order (by the program's rule, once per order, for a submitted,
    /// confirmed or delivered order of the account), or a number with a reason.
    public func earnPoints(_ points: Int64?, to accountID: String, order orderID: String?, reason: String?) throws -> [AppliedEdit] {
        let loyalty = try loyalty(of: accountID)
        let account = loyalty.account
        guard let orderID else {
            guard let points, points > 0 else { throw LoyaltyError(.invalidPoints, .earnPointsNotPositive) }
            return try bench.apply([entry(.earn, points, account: account.id, reason: reason ?? "earned")])
        }
        let order = try bench.liveRecord(try bench.entity(CRMSchema.order.name), orderID)
        guard order.value("account") == .string(account.id) else {
            throw SyncCore.ValidationError(.invalidValue, .orderOfAnotherAccount, ["order": order.id.prefix(8)])
        }
        let status = order.value("status").stringValue ?? ""
        guard LoyaltyProgram.earningOrderStatuses.contains(status) else {
            throw SyncCore.ValidationError(.invalidValue, .orderEarnsNoPointsYet, ["order": order.id.prefix(8), "status": status])
        }
        let earned = points ?? loyalty.program.points(forOrderTotal: order.value("total").stringValue.flatMap(Amount.init) ?? .zero)
        guard earned > 0 else { throw LoyaltyError(.invalidPoints, .orderEarnsNoPoints, ["order": order.id.prefix(8), "total": order.value("total")]) }
        let edit = entry(.earn, earned, account: account.id, reason: reason ?? "order \(order.value("number").stringValue ?? order.id.prefix(8).description)", order: order.id)
        return try bench.apply([edit]) { reader in
            if try Self.ledger(of: account.id, reader).hasEarned(fromOrder: order.id) {
                throw LoyaltyError(.alreadyEarned, .pointsAlreadyEarned, ["order": order.id.prefix(8)])
            }
        }
    }

    /// Redeems points (for a reward, which names its cost), within this device's escrow: the
    /// check runs inside the transaction that writes the redemption.
    public func redeemPoints(_ points: Int64?, from accountID: String, reward rewardName: String?, reason: String?) throws -> [AppliedEdit] {
        let account = try bench.liveRecord(try bench.entity(CRMSchema.account.name), accountID)
        var cost = points
        var rewardLabel: String?
        if let rewardName {
            let reward = try bench.liveRecord(try bench.entity(CRMSchema.reward.name), rewardName)
            guard reward.value("active") != .bool(false) else { throw SyncCore.ValidationError(.invalidValue, .rewardWithdrawn, ["reward": reward.value("name")]) }
            rewardLabel = reward.value("name").stringValue
            cost = cost ?? reward.value("cost").intValue
        }
        guard let cost, cost > 0 else { throw LoyaltyError(.invalidPoints, .redeemNeedsPoints) }
        let device = deviceID
        let edit = entry(.redeem, cost, account: account.id, reason: reason ?? rewardLabel.map { "reward \($0)" } ?? "redeemed", reward: rewardLabel)
        return try bench.apply([edit]) { reader in
            try Self.ledger(of: account.id, reader).checkRedemption(of: cost, by: device)
        }
    }

    /// Asks the server for escrow on the account (granted at the next sync, out of what no
    /// other device holds).
    public func reservePoints(_ points: Int64, on accountID: String) throws -> [AppliedEdit] {
        guard points > 0 else { throw LoyaltyError(.invalidPoints, .reservePointsNotPositive) }
        let account = try bench.liveRecord(try bench.entity(CRMSchema.account.name), accountID)
        return try bench.apply([entry(.request, points, account: account.id, reason: "escrow request")])
    }

    /// Hands unused escrow back to the server (all of it by default).
    public func releasePoints(_ points: Int64?, on accountID: String) throws -> [AppliedEdit] {
        let account = try bench.liveRecord(try bench.entity(CRMSchema.account.name), accountID)
        let device = deviceID
        var released = points ?? 0
        if points == nil { released = try bench.store.read { try Self.ledger(of: account.id, $0).escrow(of: device) } }
        guard released > 0 else { throw LoyaltyError(.invalidPoints, .noEscrowToRelease) }
        return try bench.apply([entry(.return, released, account: account.id, reason: "escrow handed back")]) { reader in
            let escrow = try Self.ledger(of: account.id, reader).escrow(of: device)
            if released > escrow { throw LoyaltyError(.escrowExceeded, .releaseBeyondEscrow, ["escrow": escrow, "released": released]) }
        }
    }
}

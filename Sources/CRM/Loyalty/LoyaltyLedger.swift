import SyncCore

/// What one ledger entry does to an account's loyalty points (the `kind` of a `loyalty_entry`).
public enum LoyaltyMovement: String, CaseIterable, Sendable, Hashable {
    /// The points an account held before the ledger (its `loyalty_points` counter), moved in by
    /// the server.
    case opening
    /// Points earned (from an order, or a rep's own reason).
    case earn
    /// Points redeemed by a device, out of that device's escrow.
    case redeem
    /// Server only: reserves redeemable points for one device, out of the unallocated balance.
    case grant
    /// Hands unused escrow back (the device itself, or the server when it revokes the device).
    case `return`
    /// A device asks the server for escrow; the server answers with a grant in the same round.
    case request
    /// Server only: an admin's correction with a reason; may be negative.
    case adjust
}

/// One movement of an account's loyalty points: a `loyalty_entry` record. Entries are
/// insert-only, so merging ledgers is a union and no merge order can lose or change one.
public struct LoyaltyEntry: Sendable, Hashable {
    public var id: RecordID
    public var account: RecordID
    public var movement: LoyaltyMovement
    public var points: Int64
    /// The device (replica id) whose escrow a grant, return, request or redemption moves.
    public var device: String?
    public var reason: String?
    public var order: RecordID?
    public var reward: String?
    public var at: String?

    public init(
        id: RecordID, account: RecordID, movement: LoyaltyMovement, points: Int64, device: String? = nil, reason: String? = nil,
        order: RecordID? = nil, reward: String? = nil, at: String? = nil
    ) {
        self.id = id
        self.account = account
        self.movement = movement
        self.points = points
        self.device = device
        self.reason = reason
        self.order = order
        self.reward = reward
        self.at = at
    }

    /// The entry a `loyalty_entry` record holds; nil for another entity or an incomplete record.
    public init?(_ state: RecordState) {
        guard state.entity == CRMSchema.loyaltyEntry.name,
            let account = state.value(of: "account").stringValue,
            let kind = state.value(of: "kind").stringValue.flatMap(LoyaltyMovement.init(rawValue:)),
            let points = state.value(of: "points").intValue
        else { return nil }
        self.init(
            id: state.id, account: account, movement: kind, points: points, device: state.value(of: "device").stringValue,
            reason: state.value(of: "reason").stringValue, order: state.value(of: "order").stringValue,
            reward: state.value(of: "reward").stringValue, at: state.value(of: "at").stringValue
        )
    }

    /// The field values of the record that creates this entry (unset optionals left out).
    public var fields: [(name: String, value: Value)] {
        var fields: [(String, Value)] = [("account", .string(account)), ("kind", .string(movement.rawValue)), ("points", .int(points))]
        let optional: [(String, String?)] = [("device", device), ("reason", reason), ("order", order), ("reward", reward), ("at", at)]
        for (name, value) in optional { if let value { fields.append((name, .string(value))) } }
        return fields
    }

    /// What the entry does to the balance.
    var balanceEffect: Int64 {
        switch movement {
        case .opening, .earn, .adjust: return points
        case .redeem: return -points
        case .grant, .return, .request: return 0
        }
    }

    /// What the entry does to its device's escrow.
    var escrowEffect: Int64 {
        switch movement {
        case .grant: return points
        case .redeem, .return: return -points
        case .opening, .earn, .adjust, .request: return 0
        }
    }
}

/// A refusal of a loyalty movement, with a stable code devices and scripts can rely on.
public typealias LoyaltyError = CodedError<LoyaltyErrorCode>

/// The stable codes of `LoyaltyError`.
public enum LoyaltyErrorCode: String, Sendable, CaseIterable {
    /// A redemption or return above the device's escrow for the account.
    case escrowExceeded = "loyalty_escrow_exceeded"
    /// A movement only the server writes (grant, adjust, opening) pushed by a device.
    case serverOnly = "loyalty_server_only"
    /// A redemption, return or request naming another device than its writer.
    case deviceMismatch = "loyalty_device_mismatch"
    /// A change to an existing ledger entry: the ledger is insert-only.
    case entryImmutable = "loyalty_entry_immutable"
    /// Points of zero or below where the movement needs a positive number.
    case invalidPoints = "loyalty_invalid_points"
    /// Points earned a second time from the same order.
    case alreadyEarned = "loyalty_already_earned"
    /// A decrement of the legacy `loyalty_points` counter: points leave only by redemption.
    case counterDecrement = "loyalty_counter_decrement"
    /// An adjustment taking more than the unallocated balance.
    case balanceExceeded = "loyalty_balance_exceeded"
}

/// The ledger of one account as one replica sees it, and the rules of every movement.
///
/// The balance is derived, never stored: `legacyPoints` (the account's `loyalty_points`
/// counter, which the server moves into an opening entry) plus every entry's effect. The
/// server reserves part of the balance for devices as escrow (grants); a device redeems only
/// out of its own escrow, so the redemptions of devices that never talk to each other can
/// never add up to more than the server handed out, and it handed out only what it had seen
/// earned. See SyncServer/README.md, "Loyalty escrow".
public struct LoyaltyLedger: Sendable, Hashable {
    public var account: RecordID
    public var legacyPoints: Int64
    public private(set) var entries: [LoyaltyEntry]

    public init(account: RecordID, legacyPoints: Int64 = 0, entries: [LoyaltyEntry] = []) {
        self.account = account
        self.legacyPoints = legacyPoints
        self.entries = entries.filter { $0.account == account }.sorted { $0.id < $1.id }
    }

    /// The ledger of `account` among `records` (any mix of entities; deleted ones are skipped
    /// by the caller).
    public init(account: RecordState, records: some Sequence<RecordState>) {
        self.init(
            account: account.id, legacyPoints: account.value(of: "loyalty_points").intValue ?? 0,
            entries: records.compactMap(LoyaltyEntry.init)
        )
    }

    public mutating func append(_ entry: LoyaltyEntry) {
        entries.append(entry)
    }

    /// Points the account holds now.
    public var balance: Int64 { entries.reduce(legacyPoints) { $0 + $1.balanceEffect } }

    /// Points ever earned (what levels go by): earnings, positive openings and adjustments.
    public var lifetimePoints: Int64 {
        entries.reduce(max(legacyPoints, 0)) { total, entry in
            switch entry.movement {
            case .opening, .earn, .adjust: return total + max(entry.points, 0)
            default: return total
            }
        }
    }

    /// Points ever redeemed.
    public var redeemedPoints: Int64 { entries.filter { $0.movement == .redeem }.reduce(0) { $0 + $1.points } }

    /// What `device` may still redeem offline.
    public func escrow(of device: String) -> Int64 {
        entries.filter { $0.device == device }.reduce(0) { $0 + $1.escrowEffect }
    }

    /// Escrow held by all devices together.
    public var allocated: Int64 { entries.reduce(0) { $0 + $1.escrowEffect } }

    /// The balance no device holds as escrow: what the server may grant or an admin take away.
    public var unallocated: Int64 { balance - allocated }

    /// Whether an earning from `order` is already in the ledger.
    public func hasEarned(fromOrder order: RecordID) -> Bool {
        entries.contains { $0.movement == .earn && $0.order == order }
    }

    /// Checks a redemption `device` wants to make, as the device does before writing it and the
    /// server does before accepting it.
    public func checkRedemption(of points: Int64, by device: String) throws(LoyaltyError) {
        guard points > 0 else { throw LoyaltyError(.invalidPoints, .redeemPointsNotPositive) }
        let escrow = escrow(of: device)
        guard points <= escrow else {
            throw LoyaltyError(
                .escrowExceeded,
                .redemptionBeyondEscrow, ["escrow": escrow, "balance": balance, "points": points]
            )
        }
    }

    /// The server's decision on an entry pushed by `writer` (the replica id of the pushing
    /// device); nil to accept. Server-written entries do not come through here.
    public func admission(of entry: LoyaltyEntry, from writer: String) -> LoyaltyError? {
        switch entry.movement {
        case .grant, .adjust, .opening:
            return LoyaltyError(.serverOnly, .serverOnlyEntry, ["movement": entry.movement.rawValue])
        case .earn, .redeem, .return, .request:
            break
        }
        guard entry.points > 0 else {
            return LoyaltyError(.invalidPoints, .entryPointsNotPositive, ["movement": entry.movement.rawValue])
        }
        switch entry.movement {
        case .earn:
            if let order = entry.order, hasEarned(fromOrder: order) {
                return LoyaltyError(.alreadyEarned, .pointsAlreadyEarned, ["order": order])
            }
            return nil
        case .redeem, .return, .request:
            guard entry.device == writer else {
                return LoyaltyError(.deviceMismatch, .entryNamesOtherDevice, ["movement": entry.movement.rawValue, "writer": writer, "device": entry.device ?? "none"])
            }
            if entry.movement == .request { return nil }
            let escrow = escrow(of: writer)
            guard entry.points <= escrow else {
                return LoyaltyError(.escrowExceeded, .entryBeyondEscrow, ["account": account, "escrow": escrow, "movement": entry.movement.rawValue, "points": entry.points])
            }
            return nil
        case .grant, .adjust, .opening:
            return nil
        }
    }

    /// What the server grants for a request of `points`: as much of it as no device holds.
    public func grant(forRequest points: Int64) -> Int64 {
        max(0, min(points, unallocated))
    }

    /// Checks an admin's adjustment: a negative one takes at most the unallocated balance.
    public func checkAdjustment(_ points: Int64) throws(LoyaltyError) {
        guard points != 0 else { throw LoyaltyError(.invalidPoints, .adjustmentZero) }
        if points < 0 && -points > unallocated {
            throw LoyaltyError(
                .balanceExceeded, .adjustmentBeyondUnallocated, ["unallocated": unallocated, "points": points]
            )
        }
    }

    /// Whether a pushed change to `loyalty_points` (the legacy counter) takes points away:
    /// its writer's decrement total grows. Points leave the account only by redemption.
    public static func decrementsCounter(_ change: Change, current: RecordState?) -> Bool {
        guard change.entity == CRMSchema.account.name else { return false }
        for operation in change.operations where operation.field == "loyalty_points" {
            guard case .counter(_, let decrements) = operation.operation else { continue }
            let before = current?.fields["loyalty_points"]?.counter?.entry(for: change.dot.replica).decrements ?? 0
            if decrements > before { return true }
        }
        return false
    }
}

import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// A new quote as the rep starts writing it: version 1, a draft.
    public struct NewQuote: Sendable {
        /// The account: an id, a unique prefix or its name.
        public var account: String
        /// The opportunity it prices (must belong to the account).
        public var opportunity: String?
        /// The quote number (e.g. QT-2026-0031), kept by every later version.
        public var number: String?
        /// The currency code (default: the opportunity's, else the first line's product's).
        public var currency: String?
        public var validUntil: CalendarDay?
        public var notes: String?

        public init(
            account: String, opportunity: String? = nil, number: String? = nil, currency: String? = nil, validUntil: CalendarDay? = nil,
            notes: String? = nil
        ) {
            self.account = account
            self.opportunity = opportunity
            self.number = number
            self.currency = currency
            self.validUntil = validUntil
            self.notes = notes
        }
    }

    /// A draft quote, version 1, on an account, owned by the enrolled user.
    public func createQuote(_ new: NewQuote) throws -> AppliedEdit {
        let quoteSchema = try bench.entity("quote")
        var operations = try documentOperations(
            quoteSchema, account: new.account, opportunity: new.opportunity, currency: new.currency, number: new.number, notes: new.notes
        )
        operations += [.set("status", .string(QuoteStatus.draft.rawValue)), .set("version", .int(1))]
        if let validUntil = new.validUntil { operations.append(.set("valid_until", .string(validUntil.description))) }
        return try bench.apply(LocalEdit.create(quoteSchema.name, operations))
    }

    /// A new line on a draft quote, priced from the product list unless a price is given,
    /// with its discount and tax rate. Only the line is written: the quote's total is derived
    /// from its lines (`quoteTotals`), so lines added on two devices offline both count.
    public func addQuoteLine(_ quoteID: String, _ pricing: LinePricing) throws -> [AppliedEdit] {
        let quoteSchema = try bench.entity("quote"), lineSchema = try bench.entity("quote_line")
        let quote = try self.quote(quoteID)
        let status = Self.status(of: quote)
        guard status?.isEditable ?? false else {
            throw SyncCore.ValidationError(
                .invalidTransition,
                .quoteNotDraftForLines, ["quote": RecordLabel.of(quote, schema: bench.schema), "status": quote.value("status")]
            )
        }
        let line = try newLine(of: quote, in: lineSchema, pricing)
        var edits: [LocalEdit] = [.create(lineSchema.name, line.operations)]
        if quote.value("currency") == .null, let currency = line.currency {
            edits.append(.update(quoteSchema.name, id: quote.id, [.set("currency", currency)]))
        }
        return try bench.apply(edits)
    }

    /// The lines of a quote, in a stable order (by id).
    public func quoteLines(_ quoteID: String) throws -> [RecordSnapshot] {
        let quote = try self.quote(quoteID)
        return try bench.store.records("quote_line", matching: [.equals("quote", .string(quote.id))], limit: Int.max)
            .filter { !$0.deleted }.sorted { $0.id < $1.id }
    }

    /// A quote's net, tax and gross totals, derived from its lines as they are now.
    public func quoteTotals(_ quoteID: String) throws -> DocumentTotals {
        DocumentTotals(try quoteLines(quoteID).compactMap { LinePrice($0.value) })
    }

    /// The moves of a quote a rep makes besides accepting and revising it.
    public enum QuoteAction: String, CaseIterable, Sendable {
        case send, reject, expire

        public var status: QuoteStatus {
            switch self {
            case .send: return .sent
            case .reject: return .rejected
            case .expire: return .expired
            }
        }
    }

    /// Sends, rejects or expires a quote (the CRM rules check the move, `invalid_transition`
    /// otherwise) and stamps the day of `at` (default now). Sending checks the lines as a
    /// submit does and freezes the total from them.
    public func moveQuote(_ quoteID: String, _ action: QuoteAction, at: FieldTime? = nil) throws -> AppliedEdit {
        let quoteSchema = try bench.entity("quote")
        let quote = try self.quote(quoteID)
        let target = action.status
        var operations: [LocalOperation] = [.set("status", .string(target.rawValue))]
        if action == .send {
            operations.append(.set("total", .string(try checkedTotal(of: quote))))
        }
        if let field = target.dayField, quote.value("status") != .string(target.rawValue) {
            operations.append(.set(field, .string((at ?? .now()).day.description)))
        }
        return try bench.apply(LocalEdit.update(quoteSchema.name, id: quote.id, operations).at(at?.timestamp))
    }

    /// A new draft version of a quote: the same account, number and terms with version + 1,
    /// `previous` naming the old one, a copy of every line; the old version becomes
    /// superseded. One transaction; an accepted or superseded quote cannot be revised.
    public func reviseQuote(_ quoteID: String) throws -> [AppliedEdit] {
        let quoteSchema = try bench.entity("quote"), lineSchema = try bench.entity("quote_line")
        let quote = try self.quote(quoteID)
        if let status = Self.status(of: quote) { try status.checkMove(to: .superseded) }
        // Derived from the old version's id: two devices revising it offline write the same
        // version and the same copied lines, so lines each adds afterwards both count.
        let revision = Self.derivedID(of: quote.id, for: .revision)
        var operations: [LocalOperation] = [
            .set("status", .string(QuoteStatus.draft.rawValue)), .set("version", .int((quote.value("version").intValue ?? 1) + 1)),
            .set("previous", .string(quote.id)),
        ]
        for field in ["account", "opportunity", "number", "currency", "valid_until", "owner", "notes"] where quote.value(field) != .null {
            operations.append(.set(field, quote.value(field)))
        }
        var edits: [LocalEdit] = [.create(quoteSchema.name, id: revision, operations)]
        for line in try quoteLines(quote.id) {
            let copied = Self.lineFields.filter { line.value($0) != .null }.map { LocalOperation.set($0, line.value($0)) }
            edits.append(.create(lineSchema.name, id: Self.derivedID(of: line.id, for: .revision), [.set("quote", .string(revision))] + copied))
        }
        edits.append(.update(quoteSchema.name, id: quote.id, [.set("status", .string(QuoteStatus.superseded.rawValue))]))
        return try bench.apply(edits)
    }

    /// Accepts a sent quote and turns it into an order in one transaction: the order
    /// (submitted, its `quote` set, `ordered_on` the day of `at`), one order line per quote
    /// line with its price, discount and tax, the order total from those lines, and the quote
    /// accepted with its total and `order`. The order's and its lines' ids are derived from the
    /// quote's and its lines' (`derivedID(of:for:)`), so two devices accepting the same quote
    /// offline write the same records, not two orders. Accepting a quote already accepted
    /// returns no edits and makes no second order; any other status is refused with
    /// `invalid_transition`.
    /// `number` is the new order's number (SO-…), if it has one.
    public func acceptQuote(_ quoteID: String, number: String? = nil, at: FieldTime? = nil) throws -> [AppliedEdit] {
        let quoteSchema = try bench.entity("quote"), orderSchema = try bench.entity("order")
        let quote = try self.quote(quoteID)
        if Self.status(of: quote) == .accepted, quote.value("order") != .null { return [] }
        if let status = Self.status(of: quote) { try status.checkMove(to: .accepted) }
        let total = try checkedTotal(of: quote)
        let day = (at ?? .now()).day.description
        // Derived from the quote's id: two devices accepting it offline write the same order.
        let order = Self.derivedID(of: quote.id, for: .order)
        var orderFields: [LocalOperation] = [
            .set("account", quote.value("account")), .set("status", .string(OrderStatus.submitted.rawValue)), .set("quote", .string(quote.id)),
            .set("total", .string(total)), .set("ordered_on", .string(day)),
        ]
        for field in ["opportunity", "currency"] where quote.value(field) != .null { orderFields.append(.set(field, quote.value(field))) }
        if let number {
            let editor = bench.editor(orderSchema, current: nil)
            orderFields.append(.set("number", try editor.value(of: try editor.field("number"), number)))
        }
        if let owner = try quote.value("owner").stringValue ?? bench.user() { orderFields.append(.set("owner", .string(owner))) }
        var edits: [LocalEdit] = [LocalEdit.create(orderSchema.name, id: order, orderFields).at(at?.timestamp)]
        for line in try quoteLines(quote.id) {
            let copied = Self.lineFields.filter { line.value($0) != .null }.map { LocalOperation.set($0, line.value($0)) }
            edits.append(.create("order_line", id: Self.derivedID(of: line.id, for: .order), [.set("order", .string(order))] + copied))
        }
        edits.append(
            LocalEdit.update(quoteSchema.name, id: quote.id, [
                .set("status", .string(QuoteStatus.accepted.rawValue)), .set("total", .string(total)), .set("order", .string(order)),
                .set("decided_on", .string(day)),
            ]).at(at?.timestamp)
        )
        // Re-read inside the transaction: two accepts racing on this device make one order, and
        // an order pulled from a device that accepted the quote first is not written twice.
        return try bench.apply(edits) { reader in
            let stored = try reader.state(quoteSchema.name, id: quote.id)
            if let stored, stored.value(of: "order") != .null {
                throw SyncCore.ValidationError(.invalidTransition, .quoteAcceptedMeanwhile, ["quote": RecordLabel.of(quote, schema: bench.schema)])
            }
            if try reader.state(orderSchema.name, id: order) != nil {
                throw SyncCore.ValidationError(.invalidTransition, .quoteAcceptedElsewhere, ["quote": RecordLabel.of(quote, schema: bench.schema)])
            }
        }
    }

    /// What a workflow derives a record from another for.
    enum Derivation {
        /// The order of an accepted quote, an order line of a quote line.
        case order
        /// The next version of a quote, a copied line of the old version's line.
        case revision
    }

    /// The id of the record a workflow makes from record `id` for `purpose`: the same on every
    /// device, so two devices doing the same step offline write one record, and unlike any id
    /// `RecordIDs.make` draws. The time prefix, version and variant of `id` stay; the last 12
    /// hex digits (random in a UUIDv7) are, for an order, XORed with a fixed mask (the ids
    /// devices have written since quotes could be accepted), and for a revision a 48-bit
    /// FNV-1a hash of `id`, so a revision of a revision, or the order of a revision, never
    /// comes back to an id already used (XOR with one mask twice would).
    static func derivedID(of id: RecordID, for purpose: Derivation) -> RecordID {
        var characters = Array(id.lowercased())
        guard RecordIDs.isValid(id.lowercased()) else { return RecordIDs.make() }
        let digits: [Int]
        switch purpose {
        case .order:
            let mask = Array("a5c3e1f0b7d2").compactMap(\.hexDigitValue)
            digits = (0..<12).map { offset in (characters[characters.count - 12 + offset].hexDigitValue ?? 0) ^ mask[offset] }
        case .revision:
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in "revision:\(id.lowercased())".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            digits = (0..<12).map { offset in Int((hash >> UInt64(4 * (11 - offset))) & 0xf) }
        }
        for (offset, digit) in digits.enumerated() {
            characters[characters.count - 12 + offset] = Character(String(digit, radix: 16))
        }
        return String(characters)
    }

    /// The fields a quote line and an order line share, copied from one to the other.
    static let lineFields = ["account", "product", "sku", "description", "quantity", "unit_price", "discount_percent", "tax_rate_percent"]

    /// A quote typed as an id, a unique prefix or its number: a number names the current
    /// version (the one not superseded), since every version keeps it.
    public func quote(_ typed: String) throws -> RecordSnapshot {
        let quoteSchema = try bench.entity("quote")
        let numbered = try bench.store.records(quoteSchema.name, matching: [.equals("number", .string(typed))], limit: Int.max)
            .filter { !$0.deleted && $0.value("status") != .string(QuoteStatus.superseded.rawValue) }
        if numbered.count == 1 { return numbered[0] }
        return try bench.liveRecord(quoteSchema, typed)
    }

    private static func status(of quote: RecordSnapshot) -> QuoteStatus? {
        quote.value("status").stringValue.flatMap(QuoteStatus.init(rawValue:))
    }

    /// The quote's total from its lines, after checking them as an order submit does.
    private func checkedTotal(of quote: RecordSnapshot) throws -> String {
        let label = RecordLabel.of(quote, schema: bench.schema)
        let lines = try quoteLines(quote.id)
        guard !lines.isEmpty else {
            throw SyncCore.ValidationError(.invalidValue, .quoteWithoutLines, ["quote": label, "id": quote.id.prefix(8)])
        }
        let problems = lineProblems(lines, of: quote)
        guard problems.isEmpty else {
            throw SyncCore.ValidationError(.invalidValue, .quoteLineProblems, ["quote": label, "problems": problems])
        }
        return try Self.total(lines.compactMap { LinePrice($0.value) })
    }
}

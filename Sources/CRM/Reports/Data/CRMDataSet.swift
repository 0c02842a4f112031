import SyncCore

/// The records a report reads, independent of storage: what a reader sees of every visible
/// record, with typed views of the entities reports need.
///
/// Build it from merged `RecordState`s (a device store or the server), from displayed values,
/// or from a fixture. Deleted records (by their entity's deletion policy) are left out. Records
/// are kept sorted by id, so every report computed from a data set is independent of the order
/// the records were given in: two converged replicas produce the same report.
///
/// `unsyncedRecordIDs` names the records with local edits not yet acknowledged by the server;
/// reports count how many of the records they read are among them, so a device report can say
/// "includes N unsynced local edits".
public struct CRMDataSet: Sendable {
    /// One visible record as a reader sees it.
    public struct Record: Hashable, Sendable, Codable {
        public var entity: String
        public var id: RecordID
        /// Displayed register values and counter totals by field; unset fields are absent.
        public var values: [String: Value]
        /// Set members by field, sorted.
        public var sets: [String: [String]]

        public init(entity: String, id: RecordID, values: [String: Value], sets: [String: [String]] = [:]) {
            self.entity = entity
            self.id = id
            self.values = values.filter { $0.value != .null }
            self.sets = sets.mapValues { $0.sorted() }
        }

        /// The displayed values of a merged record state.
        public init(state: RecordState) {
            var values: [String: Value] = [:]
            var sets: [String: [String]] = [:]
            for (name, field) in state.fields {
                switch field {
                case .register(let register): values[name] = register.value
                case .counter(let counter): values[name] = .int(counter.value)
                case .set(let set): sets[name] = set.members
                }
            }
            self.init(entity: state.entity, id: state.id, values: values, sets: sets)
        }

        public func value(_ field: String) -> Value { values[field] ?? .null }

        /// The field's text, nil when unset or blank.
        public func text(_ field: String) -> String? {
            guard let text = values[field]?.stringValue, !text.allSatisfy(\.isWhitespace) else { return nil }
            return text
        }

        public func integer(_ field: String) -> Int64? { values[field]?.intValue }

        public func bool(_ field: String) -> Bool? { values[field]?.boolValue }

        public func amount(_ field: String) -> Amount? { text(field).flatMap(Amount.init) }

        public func day(_ field: String) -> CalendarDay? { text(field).flatMap(CalendarDay.init) }

        public func instant(_ field: String) -> Instant? { text(field).flatMap(Instant.init) }

        /// The members of a set field, sorted.
        public func members(_ field: String) -> [String] { (sets[field] ?? []).sorted() }
    }

    /// The ids of records with local edits the server has not acknowledged yet.
    public let unsyncedRecordIDs: Set<RecordID>

    private let recordsByEntity: [String: [Record]]

    public let accounts: [Account]
    public let contacts: [Contact]
    public let leads: [Lead]
    public let campaigns: [Campaign]
    public let opportunities: [Opportunity]
    public let activities: [Activity]
    /// Orders with their lines.
    public let orders: [Order]
    public let tickets: [Ticket]
    /// Invoices with their payments.
    public let invoices: [Invoice]
    public let contracts: [Contract]
    public let surveys: [Survey]
    /// KPI targets and quotas (reference data from the server).
    public let targets: [Target]
    /// The history of the fields reports read as of a past day (empty when the source keeps
    /// none: a fixture, a report over plain values).
    public var timeline = FieldTimeline()

    private let accountIndex: [RecordID: Int]

    /// A data set of records given by their displayed values (all of them visible).
    public init(records: [Record], unsyncedRecordIDs: Set<RecordID> = []) {
        var byEntity: [String: [Record]] = [:]
        for record in records { byEntity[record.entity, default: []].append(record) }
        for entity in byEntity.keys {
            byEntity[entity]?.sort { $0.id < $1.id }
        }
        self.recordsByEntity = byEntity
        self.unsyncedRecordIDs = unsyncedRecordIDs
        func rows(_ entity: EntitySchema) -> [Record] { byEntity[entity.name] ?? [] }
        func isUnsynced(_ record: Record) -> Bool { unsyncedRecordIDs.contains(record.id) }

        // The balance is derived from the loyalty ledger (plus the legacy counter not yet moved
        // into it), never stored: see `LoyaltyLedger`.
        var ledgerPoints: [RecordID: Int64] = [:]
        for record in rows(CRMSchema.loyaltyEntry) {
            guard let account = record.text("account"), let kind = record.text("kind").flatMap(LoyaltyMovement.init(rawValue:)),
                let points = record.integer("points")
            else { continue }
            ledgerPoints[account, default: 0] += LoyaltyEntry(id: record.id, account: account, movement: kind, points: points).balanceEffect
        }
        accounts = rows(CRMSchema.account).map { record in
            var account = Account(record, isUnsynced: isUnsynced(record))
            account.loyaltyPoints += ledgerPoints[record.id] ?? 0
            return account
        }
        contacts = rows(CRMSchema.contact).map { Contact($0, isUnsynced: isUnsynced($0)) }
        leads = rows(CRMSchema.lead).map { Lead($0, isUnsynced: isUnsynced($0)) }
        campaigns = rows(CRMSchema.campaign).map { Campaign($0) }
        let probabilities = StageProbabilities(targets: rows(CRMSchema.target))
        opportunities = rows(CRMSchema.opportunity).map { Opportunity($0, isUnsynced: isUnsynced($0), stageProbabilities: probabilities) }
        activities = rows(CRMSchema.activity).map { Activity($0, isUnsynced: isUnsynced($0)) }
        var linesByOrder: [RecordID: [OrderLine]] = [:]
        for record in rows(CRMSchema.orderLine) {
            let line = OrderLine(record, isUnsynced: isUnsynced(record))
            if let order = line.order { linesByOrder[order, default: []].append(line) }
        }
        orders = rows(CRMSchema.order).map { Order($0, lines: linesByOrder[$0.id] ?? [], isUnsynced: isUnsynced($0)) }
        tickets = rows(CRMSchema.ticket).map { Ticket($0, isUnsynced: isUnsynced($0)) }
        invoices = Self.invoices(rows(CRMSchema.invoice), payments: rows(CRMSchema.payment), isUnsynced: isUnsynced)
        contracts = rows(CRMSchema.contract).map { Contract($0, isUnsynced: isUnsynced($0)) }
        surveys = rows(CRMSchema.survey).map { Survey($0, isUnsynced: isUnsynced($0)) }
        targets = rows(CRMSchema.target).compactMap(Target.init)
        var index: [RecordID: Int] = [:]
        for (position, account) in accounts.enumerated() { index[account.id] = position }
        accountIndex = index
    }

    /// A data set of merged record states: records of entities `schema` does not know, and
    /// records deleted under their entity's deletion policy, are left out.
    public init(states: [RecordState], schema: Schema = CRMSchema.schema, unsyncedRecordIDs: Set<RecordID> = []) {
        let visible = states.compactMap { state -> Record? in
            guard let entity = schema.entity(state.entity), !state.isDeleted(policy: entity.deletionPolicy) else { return nil }
            return Record(state: state)
        }
        self.init(records: visible, unsyncedRecordIDs: unsyncedRecordIDs)
    }

    /// A data set of a fixture's records as they are created (counters at their totals).
    public init(fixture: FixtureDataSet, unsyncedRecordIDs: Set<RecordID> = []) {
        let records = fixture.records.map { record in
            var values: [String: Value] = [:]
            var sets: [String: [String]] = [:]
            for (name, value) in record.fields {
                switch value {
                case .value(let value): values[name] = value
                case .elements(let elements): sets[name] = Array(Set(elements))
                }
            }
            return Record(entity: record.entity, id: record.id, values: values, sets: sets)
        }
        self.init(records: records, unsyncedRecordIDs: unsyncedRecordIDs)
    }

    /// The visible records of one entity, sorted by id.
    public func records(of entity: String) -> [Record] {
        recordsByEntity[entity] ?? []
    }

    /// The account with this id, if visible.
    public func account(_ id: RecordID?) -> Account? {
        guard let id, let position = accountIndex[id] else { return nil }
        return accounts[position]
    }

    /// The name of the account with this id, or the id itself when the account is not visible.
    public func accountName(_ id: RecordID?) -> String {
        guard let id else { return "" }
        return account(id)?.name ?? id
    }

    /// The number of visible records with unsynced local edits.
    public var unsyncedRecordCount: Int {
        unsyncedRecordCount(in: Array(recordsByEntity.keys))
    }

    /// The number of visible records of these entities with unsynced local edits.
    public func unsyncedRecordCount(in entities: [String]) -> Int {
        guard !unsyncedRecordIDs.isEmpty else { return 0 }
        return Set(entities).reduce(0) { total, entity in
            total + records(of: entity).filter { unsyncedRecordIDs.contains($0.id) }.count
        }
    }
}

import Foundation
import SyncCore

/// A CRM data set for tests and the demo: territories, users and records, as
/// `fixtures/README.md` describes the `fieldsync-fixture/1` format.
///
/// Records are listed so that a referenced record always comes before the records that
/// reference it; a loader can therefore create them in file order.
public struct FixtureDataSet: Codable, Sendable, Hashable {
    /// The format tag this build reads.
    public static let currentFormat = "fieldsync-fixture/1"

    public var format: String
    public var territories: [Territory]
    public var users: [User]
    public var records: [Record]

    public init(format: String = FixtureDataSet.currentFormat, territories: [Territory], users: [User], records: [Record]) {
        self.format = format
        self.territories = territories
        self.users = users
        self.records = records
    }

    /// A sales territory (销售区域): the same as the server's list holds.
    public typealias Territory = SyncCore.Territory

    /// What a user may do and see.
    public enum Role: String, Codable, Sendable, Hashable, CaseIterable {
        /// Sees the accounts of their territories.
        case rep
        /// Sees the territories of their team.
        case manager
        /// Sees everything and resolves conflicts.
        case admin
    }

    /// A person who uses FieldSync.
    public struct User: Codable, Sendable, Hashable {
        public var name: String
        public var role: Role
        /// The territories the user works in (a manager's are the union of the team's).
        public var territories: [String]
        /// The reps a manager leads; empty for others.
        public var team: [String]

        public init(name: String, role: Role, territories: [String] = [], team: [String] = []) {
            self.name = name
            self.role = role
            self.territories = territories
            self.team = team
        }

        enum CodingKeys: String, CodingKey {
            case name, role, territories, team
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            role = try container.decode(Role.self, forKey: .role)
            territories = try container.decodeIfPresent([String].self, forKey: .territories) ?? []
            team = try container.decodeIfPresent([String].self, forKey: .team) ?? []
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(role, forKey: .role)
            if !territories.isEmpty { try container.encode(territories, forKey: .territories) }
            if !team.isEmpty { try container.encode(team, forKey: .team) }
        }
    }

    /// One record as it is created: its entity, id and initial field values.
    public struct Record: Codable, Sendable, Hashable {
        public var entity: String
        public var id: RecordID
        public var fields: [String: FixtureValue]

        public init(entity: String, id: RecordID, fields: [String: FixtureValue]) {
            self.entity = entity
            self.id = id
            self.fields = fields
        }
    }

    /// Decodes a data set from JSON and checks its format tag.
    ///
    /// - Throws: `DecodingError` for malformed JSON, `FixtureError` for another format.
    public static func decode(from data: Data) throws -> FixtureDataSet {
        let dataSet = try JSONDecoder().decode(FixtureDataSet.self, from: data)
        guard dataSet.format == currentFormat else {
            throw FixtureError(
                recordIndex: nil, code: .malformedChange,
                message: "format is '\(dataSet.format)', this build reads '\(currentFormat)'"
            )
        }
        return dataSet
    }

    /// The number of records of each entity.
    public var recordCounts: [String: Int] {
        records.reduce(into: [:]) { counts, record in counts[record.entity, default: 0] += 1 }
    }

    /// The records of one entity, in file order.
    public func records(of entity: String) -> [Record] {
        records.filter { $0.entity == entity }
    }
}

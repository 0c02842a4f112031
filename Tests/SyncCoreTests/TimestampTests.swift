import Foundation
import SyncCore
import Testing

@Suite("Timestamps and record ids written without Foundation's formatters")
struct TimestampTests {
    @Test("A time is written as ISO8601DateFormatter writes it in UTC: the epoch, before it, leap days, century years and 20,000 random times from 1900 to 2999")
    func timestampsAsTheFormatterWritesThem() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        func reference(_ milliseconds: Int64) -> String {
            formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        }
        var times: [Int64] = [
            0, 1, 999, 1000, -1, -999, -1000, -1001, -86_400_000, -86_400_001,
            951_782_400_000,  // 2000-02-29
            951_868_799_999,  // 2000-02-29T23:59:59.999
            4_107_542_400_000,  // 2100-02-28
            4_107_628_800_000,  // 2100-03-01: 2100 is no leap year
            -2_208_988_800_000,  // 1900-01-01
            32_503_680_000_000 - 1,  // 2999-12-31T23:59:59.999
            1_795_000_000_000,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { times.append(Int64.random(in: -2_208_988_800_000..<32_503_680_000_000, using: &generator)) }
        let disagreements = times.filter { Dates.timestamp(milliseconds: $0) != reference($0) }
        #expect(disagreements.count == 0, "\(disagreements.prefix(5).map { ($0, Dates.timestamp(milliseconds: $0), reference($0)) })")
        // Every one is a valid timestamp of the schema.
        #expect(times.allSatisfy { Dates.isValidTimestamp(Dates.timestamp(milliseconds: $0)) })
    }

    @Test("Days and dates convert both ways for every day from 1600 to 2400")
    func civilDaysRoundTrip() {
        var mismatches: [Int] = []
        var expected = (year: 1600, month: 1, day: 1)
        for days in Dates.days(year: 1600, month: 1, day: 1)...Dates.days(year: 2400, month: 12, day: 31) {
            let civil = Dates.civil(days)
            if civil != expected || Dates.days(year: civil.year, month: civil.month, day: civil.day) != days { mismatches.append(days) }
            // The next day, counted by hand.
            if expected.day < Dates.daysIn(month: expected.month, year: expected.year) {
                expected.day += 1
            } else if expected.month < 12 {
                expected = (expected.year, expected.month + 1, 1)
            } else {
                expected = (expected.year + 1, 1, 1)
            }
        }
        #expect(mismatches.count == 0, "\(mismatches.prefix(5))")
        #expect(Dates.days(year: 1970, month: 1, day: 1) == 0)
    }

    @Test("A new record id is a lowercase UUIDv7 whose first 48 bits are its time, and ids differ")
    func recordIDs() {
        let milliseconds: Int64 = 1_795_000_000_123
        let ids = (0..<1000).map { _ in RecordIDs.make(milliseconds: milliseconds) }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(20) {
            #expect(RecordIDs.isValid(id))
            #expect(id == id.lowercased())
            let hex = id.replacingOccurrences(of: "-", with: "")
            #expect(UInt64(hex.prefix(12), radix: 16) == UInt64(milliseconds))
            #expect(Array(hex)[12] == "7")
            #expect("89ab".contains(Array(hex)[16]))
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
        }
    }
}

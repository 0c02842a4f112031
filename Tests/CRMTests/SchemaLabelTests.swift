import CRM
import SyncCore
import Testing

/// Tables, records and histories in Chinese name every entity and field of the schema.
@Suite("Schema names in Chinese")
struct SchemaLabelTests {
    @Test("every entity and every field of the CRM schema has a Chinese name")
    func everyNameIsTranslated() {
        for entity in CRMSchema.schema.entities {
            #expect(SchemaLabels.chineseEntities[entity.name] != nil, "entity \(entity.name)")
            for field in entity.fields {
                #expect(SchemaLabels.chineseFields[field.name] != nil, "field \(entity.name).\(field.name)")
            }
        }
    }

    @Test("names and enumeration values are the schema's in English and Chinese in Chinese; other values stay")
    func labels() {
        #expect(SchemaLabels.entity("opportunity", .english) == "opportunity")
        #expect(SchemaLabels.entity("opportunity", .chinese) == "商机")
        #expect(SchemaLabels.field("expected_close", .chinese) == "预计成交日期")
        let stage = CRMSchema.schema.entity("opportunity")?.field("stage")
        #expect(SchemaLabels.value("negotiation", of: stage, .chinese) == "商务谈判")
        #expect(SchemaLabels.value("negotiation", of: stage, .english) == "negotiation")
        #expect(SchemaLabels.value("negotiation", of: CRMSchema.schema.entity("opportunity")?.field("title"), .chinese) == "negotiation")
    }
}

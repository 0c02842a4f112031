import SyncCore

extension CRMRules {
    /// Decimal fields that hold money or amounts and may not be negative.
    public static let nonNegativeDecimalFields: Set<String> = ["amount", "credit_limit", "total", "unit_price", "budget"]

    /// Decimal fields that hold a percent from 0 to 100 (a line's discount and tax rate).
    public static let percentFields: Set<String> = ["discount_percent", "tax_rate_percent"]

    /// The CSAT scale (1–5) and the NPS scale (0–10).
    public static let csatScores: ClosedRange<Int64> = 1...5
    public static let npsScores: ClosedRange<Int64> = 0...10

    /// Checks the invariants that involve at least one field in `touched`, so that an edit of
    /// an unrelated field never fails on older data.
    static func checkInvariants(_ values: [String: Value], of entity: EntitySchema, touching touched: Set<String>) throws(ValidationError) {
        func isTouched(_ fields: String...) -> Bool { fields.contains { touched.contains($0) } }

        switch entity.name {
        case CRMSchema.opportunity.name where isTouched("stage", "lost_reason"):
            if values["stage"]?.stringValue == OpportunityStage.lost.rawValue && isBlank(values["lost_reason"]) {
                throw ValidationError(.missingRequiredField, .lostNeedsReason)
            }
        case CRMSchema.lead.name where isTouched("status", "converted_account"):
            if values["status"]?.stringValue == "converted" && isBlank(values["converted_account"]) {
                throw ValidationError(.missingRequiredField, .convertedLeadNeedsAccount)
            }
        default:
            break
        }
        try checkValueInvariants(values, of: entity, touching: touched)
    }

    /// The invariants that judge only values that are there (an absent value is not judged,
    /// never read as blank): money not negative, percents and coordinates in range, a score on
    /// its scale, a ticket's times, a contract's and an invoice's days in order, a payment and
    /// an invoice above zero. The server runs them on what a pushed change's writer saw
    /// (`checkPushedChange`), so the same rule refuses a hand-made push.
    static func checkValueInvariants(_ values: [String: Value], of entity: EntitySchema, touching touched: Set<String>) throws(ValidationError) {
        func isTouched(_ fields: String...) -> Bool { fields.contains { touched.contains($0) } }

        for field in entity.fields where field.type == .decimal && touched.contains(field.name) {
            try checkDecimalRange(values[field.name], field: field.name)
        }
        switch entity.name {
        case CRMSchema.survey.name where isTouched("kind", "score"):
            try checkSurveyScore(kind: values["kind"]?.stringValue, score: values["score"]?.intValue)
        case CRMSchema.ticket.name where isTouched("opened_at", "first_response_at", "resolved_at"):
            try checkTicketTimes(values)
        case CRMSchema.contract.name, CRMSchema.invoice.name, CRMSchema.payment.name:
            try checkQuoteToCashInvariants(values, of: entity, touching: touched)
        default:
            break
        }
    }

    private static func checkDecimalRange(_ value: Value?, field: String) throws(ValidationError) {
        guard let text = value?.stringValue, let number = Decimals.double(text) else { return }
        if nonNegativeDecimalFields.contains(field) && number < 0 {
            throw ValidationError(.invalidValue, .amountNegative, ["field": field, "text": text])
        }
        if percentFields.contains(field) && !(0...100).contains(number) {
            throw ValidationError(.invalidValue, .percentOutOfRange, ["field": field, "text": text])
        }
        if field == "latitude" && !(-90...90).contains(number) {
            throw ValidationError(.invalidValue, .latitudeOutOfRange, ["text": text])
        }
        if field == "longitude" && !(-180...180).contains(number) {
            throw ValidationError(.invalidValue, .longitudeOutOfRange, ["text": text])
        }
    }

    private static func checkSurveyScore(kind: String?, score: Int64?) throws(ValidationError) {
        guard let kind, let score else { return }
        let range = kind == "csat" ? csatScores : npsScores
        guard range.contains(score) else {
            throw ValidationError(
                .invalidValue,
                .surveyScoreOutOfRange, ["kind": kind, "low": range.lowerBound, "high": range.upperBound, "score": score]
            )
        }
    }

    private static func checkTicketTimes(_ values: [String: Value]) throws(ValidationError) {
        // Canonical UTC timestamps order like the instants they name.
        let opened = values["opened_at"]?.stringValue
        let responded = values["first_response_at"]?.stringValue
        let resolved = values["resolved_at"]?.stringValue
        if let opened, let responded, responded < opened {
            throw ValidationError(.invalidValue, .respondedBeforeOpened, ["responded": responded, "opened": opened])
        }
        if let opened, let resolved, resolved < opened {
            throw ValidationError(.invalidValue, .resolvedBeforeOpened, ["resolved": resolved, "opened": opened])
        }
        if let responded, let resolved, resolved < responded {
            throw ValidationError(.invalidValue, .resolvedBeforeResponded, ["resolved": resolved, "responded": responded])
        }
    }
}

/// Teachers' judgements per pupil, area and period, with their history.
public protocol JudgementStore {
    /// Stores a judgement (whole, with its MAC); returns its id.
    func insertJudgement(_ record: JudgementRecord) throws -> Int64
    /// A pupil's judgements, oldest first (every version: the newest per area and period is current).
    func judgements(pupilID: PupilID) throws -> [JudgementRecord]
}

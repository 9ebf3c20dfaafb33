package boltstore

import (
	"fmt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Reports: guilds/<guild>/reports/<report> = JSON quiz.Report; ids from NextSequence.

func (t *boltTx) NextReportID(g quiz.GuildID) (quiz.ReportID, error) {
	b, err := t.writeGuildBucket(g, bucketKeyReports)
	if err != nil {
		return 0, fmt.Errorf("boltstore: next report id %d: %w", g, err)
	}
	id, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("boltstore: next report id %d: %w", g, err)
	}
	return quiz.ReportID(id), nil
}

func (t *boltTx) PutReport(g quiz.GuildID, r quiz.Report) error {
	b, err := t.writeGuildBucket(g, bucketKeyReports)
	if err == nil {
		err = putJSON(b, u64(uint64(r.ID)), r)
	}
	if err != nil {
		return fmt.Errorf("boltstore: put report %d/%d: %w", g, r.ID, err)
	}
	return nil
}

func (t *boltTx) Report(g quiz.GuildID, id quiz.ReportID) (quiz.Report, bool, error) {
	var r quiz.Report
	ok, err := getJSON(t.guildBucket(g, bucketKeyReports), u64(uint64(id)), &r)
	if err != nil {
		return quiz.Report{}, false, fmt.Errorf("boltstore: get report %d/%d: %w", g, id, err)
	}
	return r, ok, nil
}

func (t *boltTx) Reports(g quiz.GuildID) ([]quiz.Report, error) {
	rs, err := listJSON[quiz.Report](t.guildBucket(g, bucketKeyReports))
	if err != nil {
		return nil, fmt.Errorf("boltstore: list reports %d: %w", g, err)
	}
	return rs, nil
}

package boltstore

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket and key names. doc.go draws the tree they make.
var (
	// Top level.
	bucketKeyMeta   = []byte("meta")
	bucketKeyDue    = []byte("due")
	bucketKeyGuilds = []byte("guilds")

	// Keys in meta.
	bucketKeyApp           = []byte("app")
	bucketKeySchemaVersion = []byte("schema_version")

	// Buckets in guilds/<guild id>.
	bucketKeyConfig        = []byte("config")
	bucketKeyMembers       = []byte("members")
	bucketKeyCards         = []byte("cards")
	bucketKeyAttempts      = []byte("attempts")
	bucketKeySessions      = []byte("sessions")
	bucketKeyPosts         = []byte("posts")
	bucketKeyOverlay       = []byte("overlay")
	bucketKeyOverlayTopics = []byte("overlay_topics")
	bucketKeyHistory       = []byte("history")
	bucketKeyReports       = []byte("reports")
	bucketKeyMocks         = []byte("mocks")
	bucketKeyMockIndex     = []byte("mock_index")
	bucketKeyAwards        = []byte("awards")
	bucketKeyRecaps        = []byte("recaps")

	// Key in guilds/<guild id>/config.
	bucketKeyGuild = []byte("guild")
)

// appName is the value of meta/app: it marks a bbolt file as ours.
var appName = []byte("interviewbot")

// topBuckets are the buckets at the root, created by migration 1.
var topBuckets = [][]byte{bucketKeyMeta, bucketKeyDue, bucketKeyGuilds}

// guildBuckets are the buckets every guilds/<guild id> bucket holds, all created with it (and
// the ones added later, by schema v2, on the guild's first write since).
var guildBuckets = [][]byte{
	bucketKeyConfig, bucketKeyMembers, bucketKeyCards, bucketKeyAttempts, bucketKeySessions,
	bucketKeyPosts, bucketKeyOverlay, bucketKeyOverlayTopics, bucketKeyHistory, bucketKeyReports,
	bucketKeyMocks, bucketKeyMockIndex, bucketKeyAwards, bucketKeyRecaps,
}

// getBucket returns the bucket at the path keys, or nil if any level is missing.
func getBucket(tx *bolt.Tx, keys ...[]byte) *bolt.Bucket {
	if len(keys) == 0 {
		return nil
	}
	b := tx.Bucket(keys[0])
	for _, k := range keys[1:] {
		if b == nil {
			return nil
		}
		b = b.Bucket(k)
	}
	return b
}

// createBucketIfNotExists returns the bucket at the path keys, creating missing levels.
func createBucketIfNotExists(tx *bolt.Tx, keys ...[]byte) (*bolt.Bucket, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("no bucket path")
	}
	b, err := tx.CreateBucketIfNotExists(keys[0])
	if err != nil {
		return nil, err
	}
	for _, k := range keys[1:] {
		if b, err = b.CreateBucketIfNotExists(k); err != nil {
			return nil, err
		}
	}
	return b, nil
}

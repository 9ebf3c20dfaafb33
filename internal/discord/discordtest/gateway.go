package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gwConn is one gateway WebSocket connection.
type gwConn struct {
	ws         *websocket.Conn
	wmu        sync.Mutex
	sess       *gwSession // attached session; guarded by Server.mu
	heartbeats int        // op 1 frames received; guarded by Server.mu
}

// gwSession is a gateway session: its shard, its own sequence and the
// dispatches sent in it, kept for RESUME.
type gwSession struct {
	id    string
	shard int // shard id from IDENTIFY's "shard" (default 0)
	count int // shard count from IDENTIFY's "shard" (default 1)
	seq   int
	log   []loggedEvent
	conn  *gwConn // live connection receiving dispatches; nil while detached
}

// owns reports whether the session's shard receives events of guildID.
func (sess *gwSession) owns(guildID string) bool {
	return ShardOf(guildID, sess.count) == sess.shard
}

// ShardOf returns the shard that receives guildID's events when the bot
// runs count shards: (guild_id >> 22) % count, as Discord computes it. DM
// events (guildID "") and non-snowflake ids go to shard 0.
func ShardOf(guildID string, count int) int {
	if guildID == "" || count <= 1 {
		return 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

type loggedEvent struct {
	seq           int
	frame         []byte
	interactionID string
}

// pendingDispatch is a dispatch made while no connection of its shard was
// attached. It waits for its shard: the shard of the session whose log holds
// it, else the shard of its guild.
type pendingDispatch struct {
	sessID        string // session whose log holds it ("" = none)
	shard         int    // that session's shard (valid when sessID != "")
	guildID       string // the guild the event is about ("" = none or a DM)
	typ           string
	d             json.RawMessage
	interactionID string
}

// forShard reports whether p waits for the shard (id, count).
func (p pendingDispatch) forShard(id, count int) bool {
	if p.sessID != "" {
		return p.shard == id
	}
	return ShardOf(p.guildID, count) == id
}

// takePending removes and returns the pending dispatches of shard (id,
// count), leaving those of other shards queued. Call with s.mu held.
func (s *Server) takePending(id, count int) []pendingDispatch {
	var mine, rest []pendingDispatch
	for _, p := range s.pending {
		if p.forShard(id, count) {
			mine = append(mine, p)
		} else {
			rest = append(rest, p)
		}
	}
	s.pending = rest
	return mine
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	s.mu.Lock()
	s.conns[c] = struct{}{}
	hello := mustJSON(map[string]any{
		"op": 10, "s": nil, "t": nil,
		"d": map[string]any{"heartbeat_interval": s.cfg.heartbeat.Milliseconds()},
	})
	s.send(c, hello, false)
	s.notify()
	s.mu.Unlock()

	defer func() {
		ws.Close()
		s.mu.Lock()
		s.detach(c)
		delete(s.conns, c)
		s.notify()
		s.mu.Unlock()
	}()
	for {
		mt, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if mt == websocket.BinaryMessage {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				return
			}
			data, err = io.ReadAll(zr)
			if err != nil {
				return
			}
		}
		var f struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			s.mu.Lock()
			s.violate("gateway: undecodable frame: %v", err)
			s.mu.Unlock()
			continue
		}
		if !s.handleFrame(c, f.Op, f.D, data) {
			return
		}
	}
}

// handleFrame handles one client frame; it returns false to end the connection.
func (s *Server) handleFrame(c *gwConn, op int, d json.RawMessage, raw []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	if op != 1 {
		s.logLine(map[string]any{"gw": "in", "frame": redactToken(raw)})
	}
	switch op {
	case 1: // heartbeat
		c.heartbeats++
		s.heartbeats++
		s.send(c, []byte(`{"op":11,"d":null,"s":null,"t":null}`), true)
	case 2: // identify
		return s.identify(c, d)
	case 6: // resume
		return s.resume(c, d)
	default:
		// op 3 presence, 4 voice, 8 request members: accepted and ignored.
	}
	return true
}

// identify starts a session (op 2), within the IDENTIFY rate limit; s.mu is held.
func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token   string  `json:"token"`
		Intents int     `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	_ = json.Unmarshal(d, &id)
	if !s.tokenOK(id.Token) {
		s.violate("gateway: IDENTIFY with a wrong token")
		s.closeWith(c, 4004, "Authentication failed.")
		return false
	}
	shard := [2]int{0, 1}
	if id.Shard != nil {
		shard = *id.Shard
	}
	if shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1] {
		s.violate("gateway: IDENTIFY with an invalid shard %v", shard)
		s.closeWith(c, 4010, "Invalid shard.")
		return false
	}
	if s.cfg.identifyLimit {
		// events/gateway.mdx, "Max Concurrency": rate_limit_key =
		// shard_id % max_concurrency; one IDENTIFY per key per 5 s.
		key, now := shard[0]%s.cfg.maxConcurrency, s.now()
		if last, ok := s.identifyAt[key]; ok && now.Sub(last) < identifyWindow {
			s.rejected++
			s.logLine(map[string]any{"gw": "identify_rate_limited", "shard": shard, "bucket": key})
			s.send(c, []byte(`{"op":9,"d":false,"s":null,"t":null}`), false)
			return true
		}
		s.identifyAt[key] = now
	}
	s.identifies++
	s.intents = id.Intents
	s.detach(c)
	sess := &gwSession{id: "sess-" + s.newID(), shard: shard[0], count: shard[1], conn: c}
	c.sess = sess
	s.sessions[sess.id] = sess
	s.shardSess[sess.shard] = sess
	s.dispatchTo(sess, "", "READY", s.wireReady(sess), "")
	for _, g := range s.guilds {
		if sess.owns(g.ID) {
			s.dispatchTo(sess, g.ID, "GUILD_CREATE", s.wireGuild(g), "")
		}
	}
	for _, p := range s.takePending(sess.shard, sess.count) {
		if p.typ == "INTERACTION_CREATE" {
			s.dispatch(p.guildID, p.typ, p.d, p.interactionID)
		}
	}
	return true
}

// resume takes a session over on a new connection (op 6) and replays what it missed; s.mu is
// held.
func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int    `json:"seq"`
	}
	_ = json.Unmarshal(d, &rs)
	if !s.tokenOK(rs.Token) {
		s.violate("gateway: RESUME with a wrong token")
		s.closeWith(c, 4004, "Authentication failed.")
		return false
	}
	sess := s.sessions[rs.SessionID]
	if sess == nil {
		s.send(c, []byte(`{"op":9,"d":false,"s":null,"t":null}`), false)
		return true
	}
	s.resumes++
	s.detach(c)
	if sess.conn != nil && sess.conn != c {
		sess.conn.sess = nil
	}
	sess.conn = c
	c.sess = sess
	s.shardSess[sess.shard] = sess
	for _, ev := range sess.log {
		if ev.seq > rs.Seq {
			s.markDelivered(ev.interactionID)
			s.send(c, ev.frame, false)
		}
	}
	s.dispatchTo(sess, "", "RESUMED", map[string]any{}, "")
	for _, p := range s.takePending(sess.shard, sess.count) {
		if p.sessID != sess.id {
			s.dispatch(p.guildID, p.typ, p.d, p.interactionID)
		}
	}
	return true
}

func (s *Server) tokenOK(tok string) bool {
	return strings.TrimPrefix(tok, "Bot ") == s.cfg.token
}

func redactToken(raw []byte) json.RawMessage {
	var f map[string]any
	if json.Unmarshal(raw, &f) != nil {
		return rawJSON(raw)
	}
	if d, ok := f["d"].(map[string]any); ok {
		if _, ok := d["token"]; ok {
			d["token"] = "[redacted]"
		}
	}
	return mustJSON(f)
}

func (s *Server) wireReady(sess *gwSession) map[string]any {
	guilds := []any{}
	for _, g := range s.guilds {
		if sess.owns(g.ID) {
			guilds = append(guilds, map[string]any{"id": g.ID, "unavailable": true})
		}
	}
	return map[string]any{
		"v": 9, "session_id": sess.id, "session_type": "normal",
		"resume_gateway_url": s.gatewayURL(), "user": s.botUser(), "guilds": guilds,
		"private_channels": []any{}, "relationships": []any{}, "presences": []any{},
		"shard":       []int{sess.shard, sess.count},
		"application": map[string]any{"id": s.cfg.appID, "flags": 0},
	}
}

func (s *Server) gatewayURL() string { return "ws://" + s.base.Host + "/gw" }

// sessionFor returns the current session of the shard that receives
// guildID's events ("" = a DM: shard 0), or nil. Should sessions with
// different shard counts both claim the guild (a bot restarted with another
// SHARD_COUNT), one with a live connection wins, then the lowest shard id.
// Call with s.mu held.
func (s *Server) sessionFor(guildID string) *gwSession {
	ids := make([]int, 0, len(s.shardSess))
	for id := range s.shardSess {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var detached *gwSession
	for _, id := range ids {
		sess := s.shardSess[id]
		if !sess.owns(guildID) {
			continue
		}
		if sess.conn != nil {
			return sess
		}
		if detached == nil {
			detached = sess
		}
	}
	return detached
}

// dispatch sends an op 0 event about guildID ("" = none, or a DM) in the
// current session of the guild's shard, or queues it for that shard when no
// session or connection is there. Call with s.mu held.
func (s *Server) dispatch(guildID, typ string, d any, interactionID string) {
	sess := s.sessionFor(guildID)
	if sess == nil {
		s.pending = append(s.pending, pendingDispatch{guildID: guildID, typ: typ, d: toRaw(d), interactionID: interactionID})
		return
	}
	s.dispatchTo(sess, guildID, typ, d, interactionID)
}

// dispatchTo sends an op 0 event in sess, or logs and queues it when no
// connection is attached to sess. Call with s.mu held.
func (s *Server) dispatchTo(sess *gwSession, guildID, typ string, d any, interactionID string) {
	raw := toRaw(d)
	sess.seq++
	frame := mustJSON(map[string]any{"op": 0, "s": sess.seq, "t": typ, "d": raw})
	sess.log = append(sess.log, loggedEvent{seq: sess.seq, frame: frame, interactionID: interactionID})
	if sess.conn != nil {
		s.markDelivered(interactionID) // the clock starts as the frame leaves, not after the write
		s.send(sess.conn, frame, false)
		return
	}
	s.pending = append(s.pending, pendingDispatch{sessID: sess.id, shard: sess.shard, guildID: guildID, typ: typ, d: raw, interactionID: interactionID})
}

func toRaw(d any) json.RawMessage {
	if raw, ok := d.(json.RawMessage); ok {
		return raw
	}
	return mustJSON(d)
}

// markDelivered starts an interaction's clocks on its first delivery.
func (s *Server) markDelivered(interactionID string) {
	if interactionID == "" {
		return
	}
	if i := s.inters[interactionID]; i != nil && i.sentAt.IsZero() {
		i.sentAt = s.now()
	}
}

// send writes a frame. Call with s.mu held (it orders frames).
func (s *Server) send(c *gwConn, frame []byte, quiet bool) {
	if !quiet {
		s.logLine(map[string]any{"gw": "out", "frame": json.RawMessage(frame)})
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
		c.ws.NetConn().Close()
	}
}

func (s *Server) closeWith(c *gwConn, code int, text string) {
	s.logLine(map[string]any{"gw": "out", "close": code, "reason": text})
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.ws.NetConn().Close()
}

// detach unlinks c from its session. Call with s.mu held.
func (s *Server) detach(c *gwConn) {
	if c.sess != nil && c.sess.conn == c {
		c.sess.conn = nil
	}
	c.sess = nil
}

// liveConn returns the connection attached to the current session of shard,
// or nil. Call with s.mu held.
func (s *Server) liveConn(shard int) *gwConn {
	sess := s.shardSess[shard]
	if sess == nil {
		return nil
	}
	return sess.conn
}

// WaitReady blocks until a client is attached to a live session of shard 0
// (after IDENTIFY → READY + GUILD_CREATEs, or after RESUME → RESUMED) and
// has sent its first heartbeat on that connection, or ctx is done. discordgo
// sends that heartbeat as Open finishes; closing a Session before it arrives
// races with discordgo's heartbeat goroutine, which then reconnects forever.
// An unsharded client is shard 0; see WaitReadyShard for the others.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.WaitReadyShard(ctx, 0)
}

// WaitReadyShard is WaitReady for the client that identified with
// "shard": [shard, count].
func (s *Server) WaitReadyShard(ctx context.Context, shard int) error {
	return s.Await(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		c := s.liveConn(shard)
		return c != nil && c.heartbeats > 0
	})
}

// Connected reports whether a client is attached to a live gateway session
// of shard 0.
func (s *Server) Connected() bool {
	return s.ConnectedShard(0)
}

// ConnectedShard reports whether a client is attached to a live gateway
// session of the shard.
func (s *Server) ConnectedShard(shard int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.liveConn(shard) != nil
}

// Heartbeats returns how many heartbeats (op 1) clients have sent, over all
// connections.
func (s *Server) Heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heartbeats
}

// Identifies returns how many IDENTIFYs were accepted, over all shards.
func (s *Server) Identifies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.identifies
}

// identifyWindow is the IDENTIFY rate window per bucket.
const identifyWindow = 5 * time.Second

// IdentifyRejections returns how many IDENTIFYs WithIdentifyConcurrency
// answered with op 9 Invalid Session.
func (s *Server) IdentifyRejections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected
}

// Resumes returns how many RESUMEs were accepted, over all shards.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// Reconnect sends op 7 on shard 0's live connection. The session stays
// resumable; dispatches made before the client RESUMEs are replayed then.
func (s *Server) Reconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.liveConn(0)
	if c == nil {
		return
	}
	s.send(c, []byte(`{"op":7,"d":null,"s":null,"t":null}`), false)
	s.detach(c)
	s.notify()
}

// InvalidSession sends op 9 (d:false) on shard 0's live connection and
// forgets the session; the client must IDENTIFY again. Dispatches made in
// between are delivered after the new READY.
func (s *Server) InvalidSession() {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.liveConn(0)
	if c == nil {
		return
	}
	s.send(c, []byte(`{"op":9,"d":false,"s":null,"t":null}`), false)
	delete(s.sessions, s.shardSess[0].id)
	delete(s.shardSess, 0)
	s.detach(c)
	s.notify()
}

// DropConnection closes shard 0's live connection's TCP socket without a
// close frame. The session stays resumable.
func (s *Server) DropConnection() {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.liveConn(0)
	if c == nil {
		return
	}
	s.logLine(map[string]any{"gw": "drop"})
	s.detach(c)
	c.ws.NetConn().Close()
	s.notify()
}

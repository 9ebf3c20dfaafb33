package discordtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// attachment is a file a member attached to a command option (type 11), served by the fake
// from its own address, as Discord serves them from its CDN.
type attachment struct {
	id, filename string
	data         []byte
	url          string // a forged address in place of the fake's own; "" = the fake's
}

// Upload is a file the bot sent in a multipart request (a message or interaction response
// with files).
type Upload struct {
	Method, Path string
	Name         string
	Data         []byte
	contentType  string
}

// Attach registers a file and returns the command option that refers to it; Slash puts the
// attachment into the interaction's resolved data with a URL the bot can download.
func (s *Server) Attach(option, filename string, data []byte) Opt {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	if s.attachments == nil {
		s.attachments = map[string]attachment{}
	}
	s.attachments[id] = attachment{id: id, filename: filename, data: append([]byte(nil), data...)}
	return Opt{Name: option, Type: 11, Value: id}
}

// AttachForged is Attach with the attachment's url and proxy_url replaced by url, as a forged
// interaction could send them: Discord itself always names its CDN, so a bot must fetch only
// from there.
func (s *Server) AttachForged(option, filename string, data []byte, url string) Opt {
	o := s.Attach(option, filename, data)
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.attachments[o.Value.(string)]
	a.url = url
	s.attachments[a.id] = a
	return o
}

// Uploads returns every file the bot uploaded, oldest first.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// resolvedAttachments builds the resolved.attachments object for the attachment options in
// opts (at any depth). Call with s.mu held.
func (s *Server) resolvedAttachments(opts []Opt) map[string]any {
	out := map[string]any{}
	var walk func([]Opt)
	walk = func(os []Opt) {
		for _, o := range os {
			if o.Type == 11 {
				id, _ := o.Value.(string)
				if a, ok := s.attachments[id]; ok {
					url := s.hs.URL + "/attachments/" + a.id + "/" + a.filename
					if a.url != "" {
						url = a.url
					}
					out[id] = map[string]any{
						"id": a.id, "filename": a.filename, "size": len(a.data),
						"url": url, "proxy_url": url,
						"content_type": "application/yaml",
					}
				}
			}
			walk(o.Options)
		}
	}
	walk(opts)
	return out
}

// serveAttachment serves a registered attachment's bytes (no authorization, like the CDN).
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/attachments/"), "/")
	s.mu.Lock()
	a, ok := s.attachments[parts[0]]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.data)))
	w.Write(a.data)
}

// recordUploads keeps the file parts of a multipart request and returns them.
func (s *Server) recordUploads(method, path, ct string, body []byte) []Upload {
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil
	}
	var out []Upload
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		if p.FileName() == "" {
			continue
		}
		data, _ := io.ReadAll(p)
		out = append(out, Upload{Method: method, Path: path, Name: p.FileName(), Data: data, contentType: p.Header.Get("Content-Type")})
	}
	s.mu.Lock()
	s.uploads = append(s.uploads, out...)
	s.mu.Unlock()
	return out
}

// Attachment is a file on a message: uploaded with it (files[n] in a multipart request), kept
// across edits, and served from the fake's address as Discord serves them from its CDN.
type Attachment struct {
	ID, Filename, ContentType, URL string
	Size                           int
	Data                           []byte
}

// EmbedMedia is an embed's image or thumbnail. An attachment://name URL sent by the bot comes
// back as the attachment's URL, as Discord does (reference.mdx, "Uploading Files": "Using
// Attachments within Embeds").
type EmbedMedia struct {
	URL string `json:"url"`
}

// oversized is the reply to a request carrying a file over the interaction's
// attachment_size_limit (WithAttachmentSizeLimit; 10 MiB, a server without boosts, by
// default): 413 with 40005 (opcodes-and-status-codes.mdx, "Request entity too large"),
// recorded as a violation since the bot should have split or compressed it. ok is false when
// no file is over. Call with s.mu held.
func (s *Server) oversized(rq *restReq) (reply, bool) {
	for _, u := range rq.uploads {
		if len(u.Data) > s.cfg.uploadLimit {
			s.violate("rest: %s %s: a %d-byte file is over the %d-byte attachment_size_limit", rq.method, rq.route.pattern, len(u.Data), s.cfg.uploadLimit)
			return errReply(http.StatusRequestEntityTooLarge, 40005, "Request entity too large"), true
		}
	}
	return reply{}, false
}

// attachUploads gives m the files of the request being handled (s.cur) after a create or an
// edit, and resolves attachment:// URLs in its embeds. An edit keeps the files it had, or,
// when the body lists "attachments", only those it lists by id. An embed naming a file the
// message does not carry is a violation: Discord would show no image. Call with s.mu held.
func (s *Server) attachUploads(where string, m *msgRec, obj map[string]json.RawMessage, create bool) {
	if !create {
		if raw, ok := obj["attachments"]; ok {
			var keep []struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(raw, &keep)
			kept := m.Attachments[:0:0]
			for _, a := range m.Attachments {
				for _, k := range keep {
					if k.ID == a.ID {
						kept = append(kept, a)
					}
				}
			}
			m.Attachments = kept
		}
	} else {
		m.Attachments = nil
	}
	if s.cur != nil && len(s.cur.uploads) > 0 && s.attachments == nil {
		s.attachments = map[string]attachment{}
	}
	if s.cur != nil {
		for _, u := range s.cur.uploads {
			id := s.newID()
			url := s.hs.URL + "/attachments/" + id + "/" + u.Name
			ct := u.contentType
			if ct == "" || ct == "application/octet-stream" {
				ct = mime.TypeByExtension(path.Ext(u.Name))
			}
			s.attachments[id] = attachment{id: id, filename: u.Name, data: u.Data}
			m.Attachments = append(m.Attachments, Attachment{ID: id, Filename: u.Name, ContentType: ct, URL: url, Size: len(u.Data), Data: u.Data})
		}
	}
	s.resolveEmbedMedia(where, m)
}

// resolveEmbedMedia replaces attachment://name in m's embed images and thumbnails with the
// named attachment's URL. Call with s.mu held.
func (s *Server) resolveEmbedMedia(where string, m *msgRec) {
	if !bytes.Contains(m.embedsRaw, []byte("attachment://")) {
		return
	}
	var embeds []map[string]any
	if json.Unmarshal(m.embedsRaw, &embeds) != nil {
		return
	}
	for i, e := range embeds {
		for _, field := range []string{"image", "thumbnail"} {
			media, _ := e[field].(map[string]any)
			url, _ := media["url"].(string)
			name, ok := strings.CutPrefix(url, "attachment://")
			if !ok {
				continue
			}
			found := false
			for _, a := range m.Attachments {
				if a.Filename == name {
					media["url"], media["proxy_url"], found = a.URL, a.URL, true
				}
			}
			if !found {
				s.violate("%s: embeds[%d].%s is %s, but the message has no file of that name: Discord shows no image", where, i, field, url)
			}
		}
	}
	m.embedsRaw = mustJSON(embeds)
	m.Embeds = nil
	_ = json.Unmarshal(m.embedsRaw, &m.Embeds)
}

// wireAttachments is m's attachments as Discord returns them.
func (s *Server) wireAttachments(m *msgRec) []any {
	out := []any{}
	for _, a := range m.Attachments {
		out = append(out, map[string]any{"id": a.ID, "filename": a.Filename, "size": a.Size, "url": a.URL,
			"proxy_url": a.URL, "content_type": a.ContentType})
	}
	return out
}

package discord

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"
	"github.com/interviewbot/interviewbot/internal/quiz"
)

// DefaultUploadLimit is the file size every server accepts: Discord's attachment_size_limit
// for a server without boosts (10 MiB). Boosted servers allow more, but discordgo v0.29.0 does
// not decode the interaction's attachment_size_limit, so the bot keeps to the floor.
const DefaultUploadLimit = 10 << 20

// maxFilesPerMessage is Discord's limit of attachments on one message.
const maxFilesPerMessage = 10

// upload is one file to send.
type upload struct {
	name, contentType string
	data              []byte
}

// fitUploads returns files each within limit bytes: a larger file is gzip-compressed, and if
// that is still too large the compressed bytes are cut into numbered parts (name.gz.001, …),
// which `cat name.gz.* | gunzip` joins back. split reports whether any file was changed.
func fitUploads(files []upload, limit int) (out []upload, split bool) {
	for _, f := range files {
		if len(f.data) <= limit {
			out = append(out, f)
			continue
		}
		split = true
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(f.data) // a bytes.Buffer never fails
		zw.Close()
		gz := buf.Bytes()
		if len(gz) <= limit {
			out = append(out, upload{f.name + ".gz", "application/gzip", gz})
			continue
		}
		n := (len(gz) + limit - 1) / limit
		for i := range n {
			part := gz[i*limit : min(len(gz), (i+1)*limit)]
			out = append(out, upload{fmt.Sprintf("%s.gz.%03d", f.name, i+1), "application/octet-stream", part})
		}
	}
	return out, split
}

// uploadBatches groups files into messages of at most maxFilesPerMessage files and limit bytes
// in all, keeping their order; each file must already be within limit.
func uploadBatches(files []upload, limit int) [][]upload {
	var out [][]upload
	size := 0
	for _, f := range files {
		if n := len(out); n == 0 || len(out[n-1]) == maxFilesPerMessage || size+len(f.data) > limit {
			out = append(out, nil)
			size = 0
		}
		out[len(out)-1] = append(out[len(out)-1], f)
		size += len(f.data)
	}
	return out
}

// sendUploads replies privately with files, within the upload limit: intro on the first
// message, a note on joining parts when a file had to be compressed or split.
func (b *Bot) sendUploads(ctx context.Context, r *responder, intro string, files []upload) error {
	fitted, split := fitUploads(files, b.opts.UploadLimit)
	batches := uploadBatches(fitted, b.opts.UploadLimit)
	if split {
		l := b.members.Lang(ctx, r.actor)
		intro += "\n" + fmt.Sprintf(tr(l,
			"Too large for one Discord upload (%d MiB), so it comes compressed (gzip) in %d file(s) over %d message(s). Save every part, then join them: `cat NAME.gz.* | gunzip > NAME` (or open a single .gz with any unzip tool).",
			"文件超过 Discord 单个上传上限（%d MiB），因此以 gzip 压缩，共 %d 个文件、%d 条消息。请保存所有分片后合并：`cat 文件名.gz.* | gunzip > 文件名`（单个 .gz 文件可用任何解压工具打开）。"),
			b.opts.UploadLimit>>20, len(fitted), len(batches))
	}
	for i, batch := range batches {
		var fs []*discordgo.File
		for _, f := range batch {
			fs = append(fs, &discordgo.File{Name: f.name, ContentType: f.contentType, Reader: bytes.NewReader(f.data)})
		}
		content := ""
		if i == 0 {
			content = truncate(intro, maxContent)
		}
		if err := r.reply(ctx, message{Content: content, Files: fs, Ephemeral: true}); err != nil {
			return err
		}
	}
	return nil
}

// exportUploads turns a bank export into uploads.
func exportUploads(files []quiz.ExportedFile) []upload {
	out := make([]upload, len(files))
	for i, f := range files {
		out[i] = upload{f.Name, "application/yaml", f.Data}
	}
	return out
}

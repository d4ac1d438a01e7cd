import { FitsError } from "./errors.js";
import { Header } from "./header.js";

/**
 * Parses a text dump of FITS headers — 80-character cards, one per line, as archives publish
 * them (e.g. CADC's `*.fits.header`) — into one {@link Header} per HDU. Each HDU starts at a
 * SIMPLE or XTENSION card and ends at END. Lines shorter than 80 characters are padded; longer
 * ones are an error naming the line.
 */
export function parseHeaderText(text: string, file = "<text>"): Header[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const headers: Header[] = [];
  let cards: string[] = [];
  let startLine = 0;
  lines.forEach((line, i) => {
    if (line.length > 80) {
      throw new FitsError("BAD_CARD", `line ${i + 1} is ${line.length} characters long (a card has 80)`, {
        file,
        hdu: headers.length,
      });
    }
    if (cards.length === 0) {
      if (line.trim() === "") return;
      if (!line.startsWith("SIMPLE") && !line.startsWith("XTENSION")) {
        throw new FitsError("BAD_HEADER", `line ${i + 1}: an HDU must start with SIMPLE or XTENSION`, {
          file,
          hdu: headers.length,
        });
      }
      startLine = i;
    }
    cards.push(line.padEnd(80));
    if (/^END\s*$/.test(line)) {
      const bytes = new Uint8Array(Math.ceil((cards.length * 80) / 2880) * 2880).fill(0x20);
      let o = 0;
      for (const c of cards) for (let k = 0; k < 80; k++) bytes[o++] = c.charCodeAt(k) & 0xff;
      headers.push(Header.parse(bytes, { file, hdu: headers.length }).header);
      cards = [];
    }
  });
  if (cards.length > 0) {
    throw new FitsError("BAD_HEADER", `the header starting at line ${startLine + 1} has no END card`, {
      file,
      hdu: headers.length,
    });
  }
  return headers;
}

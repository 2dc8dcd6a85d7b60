import { closeSync, openSync, writeSync } from "node:fs";
import { stringify } from "csv-stringify/sync";

type Cell = string | number;

/** A CSV file written in batches: rows are buffered and flushed through csv-stringify every few thousand. */
export class CsvFile {
  private readonly fd: number;
  private rows: Cell[][] = [];

  constructor(path: string, readonly columns: readonly string[], private readonly batch = 4096) {
    this.fd = openSync(path, "w");
    writeSync(this.fd, stringify([columns as string[]]));
  }

  write(row: Cell[]): void {
    this.rows.push(row);
    if (this.rows.length >= this.batch) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.rows.length === 0) return;
    writeSync(this.fd, stringify(this.rows));
    this.rows = [];
  }
}

import { once } from "node:events";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import ExcelJS from "exceljs";
import type { ReportQuery } from "#app/utils/report-query.ts";
import { REPORT_XLSX_COLUMNS, reportXlsxCells } from "#app/utils/report-xlsx.ts";
import { reportRowsInBatches, type ReportContext } from "./report.server.ts";

type Options = Parameters<typeof reportRowsInBatches>[3];

/**
 * The report's per-person table as an XLSX workbook: the same rows, filters
 * and order as the CSV (reportCsvStream), with typed dates and numbers and
 * the header row frozen. Written with exceljs's streaming WorkbookWriter,
 * batch by batch, so a force of 50,000 rows is never held in memory: each
 * row is committed (written to the zip) as it is added, and the next batch is
 * read only once the client has taken what is already written.
 */
export function reportXlsxStream(context: ReportContext, query: ReportQuery, moduleId: string | null, options: Options = {}): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  void writeWorkbook(out, context, query, moduleId, options).catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return createReadableStreamFromReadable(out);
}

async function writeWorkbook(out: PassThrough, context: ReportContext, query: ReportQuery, moduleId: string | null, options: Options) {
  // Inline strings, not a shared-strings table: that table would hold every distinct name until the end.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "Distinct";
  const sheet = workbook.addWorksheet("Training report", { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  sheet.columns = REPORT_XLSX_COLUMNS.map((c) => ({ header: c.header, key: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  for await (const batch of reportRowsInBatches(context, query, moduleId, options)) {
    for (const row of batch) sheet.addRow(reportXlsxCells(row)).commit();
    // Backpressure: wait for a slow client before reading the next batch.
    if (out.writableNeedDrain) await once(out, "drain");
  }
  sheet.commit();
  await workbook.commit();
}

// Conveniences the official CLI and Terraform provider give their users: durations from a
// number of days, and picking a package by name or by CPU and RAM.
import { QdrantCloudError } from './errors.js';
import type { BookingService } from './generated/services/booking.js';
import type { ListPackagesRequest, Package } from './generated/types.js';

const DAY_SECONDS = 86_400;

/**
 * A `google.protobuf.Duration` of `days` whole days in its JSON form, e.g. `retentionDays(7)`
 * is `"604800s"` (for `retentionPeriod` of backups and backup schedules).
 */
export function retentionDays(days: number): string {
  if (!Number.isInteger(days) || days < 0) {
    throw new QdrantCloudError({
      kind: 'validation',
      code: 3,
      rpc: 'retentionDays',
      message: `retentionDays: days must be a whole number >= 0 (got ${String(days)})`,
      issues: [{ field: 'days', message: 'must be a whole number >= 0' }],
    });
  }
  return `${days * DAY_SECONDS}s`;
}

/** Millicores of a CPU quantity such as `"1000m"`, `"2"` or `"0.5"`; NaN when unreadable. */
export function cpuMillicores(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'm' ? value : value * 1000;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Bytes of a memory quantity such as `"1GiB"`, `"4Gi"` or `"512Mi"`; NaN when unreadable. */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]i?)?B?$/.exec(quantity.trim());
  if (!match) return Number.NaN;
  const unit = BYTE_UNITS[match[2] ?? ''];
  return unit === undefined ? Number.NaN : Number(match[1]) * unit;
}

/** Which package {@link findPackage} looks for: by name, or the smallest with at least this CPU and RAM. */
export type PackageChoice =
  | { readonly name: string }
  | {
      /** CPU like `"1000m"` or `"2"`. */
      readonly cpu: string;
      /** RAM like `"4GiB"`. */
      readonly ram: string;
    };

/**
 * Lists the packages of a provider and region and picks one: by `name`, or the cheapest active
 * package with at least `cpu` and `ram` (as the CLI's and Terraform's package choice does).
 * Rejects with a validation error listing what is on offer when none fits.
 */
export async function findPackage(
  booking: Pick<BookingService, 'listPackages'>,
  where: ListPackagesRequest,
  choice: PackageChoice,
): Promise<Package> {
  const { items = [] } = await booking.listPackages(where);
  const active = items.filter(
    (p) => p.status === undefined || p.status === 'PACKAGE_STATUS_ACTIVE',
  );
  let found: Package | undefined;
  if ('name' in choice) {
    found = active.find((p) => p.name === choice.name);
  } else {
    const cpu = cpuMillicores(choice.cpu);
    const ram = memoryBytes(choice.ram);
    if (Number.isNaN(cpu) || Number.isNaN(ram)) {
      throw new QdrantCloudError({
        kind: 'validation',
        code: 3,
        rpc: 'findPackage',
        message: 'findPackage: cpu must look like "1000m" or "2", ram like "4GiB"',
        issues: [{ field: Number.isNaN(cpu) ? 'cpu' : 'ram', message: 'is not a quantity' }],
      });
    }
    found = active
      .filter((p) => {
        const r = p.resourceConfiguration;
        return (
          r?.cpu !== undefined &&
          r.ram !== undefined &&
          cpuMillicores(r.cpu) >= cpu &&
          memoryBytes(r.ram) >= ram
        );
      })
      .sort((a, b) => (a.unitIntPricePerHour ?? 0) - (b.unitIntPricePerHour ?? 0))[0];
  }
  if (found) return found;
  const offer = active
    .map(
      (p) =>
        `${p.name ?? p.id} (${p.resourceConfiguration?.cpu ?? '?'} CPU, ${p.resourceConfiguration?.ram ?? '?'} RAM)`,
    )
    .join(', ');
  throw new QdrantCloudError({
    kind: 'validation',
    code: 5,
    rpc: 'findPackage',
    message: `findPackage: no active package ${'name' in choice ? `named ${choice.name}` : `with at least ${choice.cpu} CPU and ${choice.ram} RAM`} in ${where.cloudProviderId}${where.cloudProviderRegionId ? `/${where.cloudProviderRegionId}` : ''}; on offer: ${offer || 'none'}`,
  });
}

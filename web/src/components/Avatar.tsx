/** Up to two initials from a display name or username ("jane-doe" → "JD"). */
export function initialsOf(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length > 1 ? (parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '') : name.slice(0, 2);
  return letters.toUpperCase() || '?';
}

/** A stable hue per name, so the same person always has the same colour. */
function hueOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

export function Avatar({ name, size = 'medium' }: { name: string; size?: 'medium' | 'large' }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ backgroundColor: `hsl(${hueOf(name)} 55% 42%)` }} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}

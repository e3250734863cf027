import { Form, Link, NavLink } from "@remix-run/react";

type HeaderUser = { id: string; name: string; role: string } | null;

export function SiteHeader({ user }: { user: HeaderUser }) {
  const isStaff = user?.role === "admin" || user?.role === "author";
  return (
    <header className="site-header">
      <div className="page-width site-header__inner">
        <Link to="/" className="site-header__brand">
          <span className="site-header__mark" aria-hidden="true">
            D
          </span>
          <span>Distinct</span>
        </Link>
        <nav aria-label="Main" className="site-header__nav">
          <ul>
            <li>
              <NavLink to="/modules">Modules</NavLink>
            </li>
            <li>
              <NavLink to="/tools/is-it-stalking">Is it stalking?</NavLink>
            </li>
            {user ? (
              <>
                <li>
                  <NavLink to="/learning">My learning</NavLink>
                </li>
                <li>
                  <NavLink to="/certificates">Certificates</NavLink>
                </li>
                {isStaff ? (
                  <li>
                    <NavLink to="/admin">Admin</NavLink>
                  </li>
                ) : null}
              </>
            ) : null}
          </ul>
        </nav>
        <div className="site-header__account">
          {user ? (
            <Form method="post" action="/logout" className="inline-form">
              <span className="site-header__name">{user.name}</span>
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          ) : (
            <Link to="/login">Sign in</Link>
          )}
        </div>
      </div>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="page-width">
        <p>
          Distinct trains police and partner agencies in England and Wales to recognise stalking and tell it apart from
          harassment and malicious communications.
        </p>
        <p>
          If you are being stalked, the National Stalking Helpline is on <a href="tel:08088020300">0808 802 0300</a>. In
          an emergency call 999.
        </p>
        <ul className="site-footer__links">
          <li>
            <Link to="/verify">Check a certificate</Link>
          </li>
          <li>
            <Link to="/modules">All modules</Link>
          </li>
          <li>
            <Link to="/accessibility">Accessibility</Link>
          </li>
        </ul>
      </div>
    </footer>
  );
}

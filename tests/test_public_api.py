import govmedia_rules


def test_public_names_are_what_they_claim():
    for name in govmedia_rules.__all__:
        assert hasattr(govmedia_rules, name), name
    assert govmedia_rules.__version__
    assert callable(govmedia_rules.hookimpl)
    assert issubclass(govmedia_rules.PackError, govmedia_rules.GovMediaError)
    assert issubclass(govmedia_rules.PluginError, govmedia_rules.GovMediaError)
    assert issubclass(govmedia_rules.RecordError, govmedia_rules.GovMediaError)
